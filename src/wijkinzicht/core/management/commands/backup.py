"""wijkinzicht backup FILE: the whole database as one consistent, versioned archive."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.core.backup import backup


class Command(BaseCommand):
    help = _("Write the whole database to one consistent, versioned archive (a zip file, mode 0600).")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        summary = backup(file)
        processing.record(name="backup", activity="beheer", actor="wijkinzicht backup")
        self.stdout.write(_("Backup written to %(file)s: %(tables)d tables, %(rows)d rows.")
                          % {"file": file, "tables": summary.tables, "rows": summary.rows})
