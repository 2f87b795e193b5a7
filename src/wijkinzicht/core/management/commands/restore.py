"""wijkinzicht restore FILE: replace the database's contents with a backup (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = _("Replace every row of the database with those of a backup, in one transaction. "
             "Run `wijkinzicht migrate` first; the backup must match this version's migrations.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--check", action="store_true", help=_("Only check the archive; change nothing."))
        parser.add_argument("--yes", action="store_true", help=_("Do not ask for confirmation."))

    def handle(self, *args, file, check, yes, **options):
        try:
            if check:
                manifest = verify(file)
                self.stdout.write(_("The backup is complete and fits this database (%(n)d tables).")
                                  % {"n": len(manifest["tables"])})
                return
            if not yes:
                answer = input(_("Every row in this database will be replaced. Type 'ja' to go on: "))
                if answer.strip().lower() not in ("ja", "yes"):
                    raise CommandError(_("Nothing changed."))
            summary = restore(file)
            processing.record(name="restore", activity="beheer", actor="wijkinzicht restore")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc
        self.stdout.write(_("Restored %(tables)d tables, %(rows)d rows.") % {"tables": summary.tables,
                                                                            "rows": summary.rows})
