"""wijkinzicht import-names FILE [--dry-run]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.areas.management.commands._importing import run_import
from wijkinzicht.areas.services import names_import


class Command(BaseCommand):
    help = _("Set the names of areas from a CSV with the columns code, name and a year (name_from_year, "
             "year or jaar); a newer name wins. Format: docs/areas.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The CSV file."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Show what would change; write nothing."))

    def handle(self, *args, file, dry_run, **options):
        r = run_import(self, file, lambda: names_import(file, dry_run=dry_run))
        head = _("Dry run, nothing written") if dry_run else _("Names imported")
        self.stdout.write(f"{head}: {r.filename}: " + _(
            "%(rows)d names, %(set)d set, %(same)d unchanged, %(unknown)d codes without an area here")
            % {"rows": r.rows, "set": r.names_set, "same": r.unchanged, "unknown": r.unknown_areas})
