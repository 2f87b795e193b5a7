"""wijkinzicht import-kwb FILE [--year YEAR] [--dry-run]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.areas.management.commands._importing import run_import
from wijkinzicht.areas.services import kwb_import


class Command(BaseCommand):
    help = _("Import a CBS Kerncijfers wijken en buurten file (CSV, XLSX or OData JSON).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The KWB file."))
        parser.add_argument("--year", type=int, help=_("Year, when the file has no year column."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Show what would change; write nothing."))

    def handle(self, *args, file, year, dry_run, **options):
        report = run_import(self, file, lambda: kwb_import(file, year=year, dry_run=dry_run))
        write_kwb_report(self.stdout, report)


def write_kwb_report(out, report) -> None:
    """Print the import report in plain words."""
    head = _("Dry run, nothing written") if report.dry_run else (
        _("Imported") if report.changed else _("Nothing changed"))
    out.write(f"{head}: {report.filename} ({', '.join(map(str, report.years))}), "
              + _("%(rows)d rows") % {"rows": report.rows})
    out.write("  " + _("areas: %(created)d new, %(updated)d changed") % {
        "created": report.areas_created, "updated": report.areas_updated})
    out.write("  " + _("figures: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
                       "%(secret)d unknown or secret") % {
        "created": report.observations_created, "updated": report.observations_updated,
        "unchanged": report.observations_unchanged, "secret": report.secret_cells})
    out.write("  " + _("columns read: %(n)d") % {"n": len(report.columns)})
    if report.unknown_columns:
        out.write("  " + _("unknown columns, not imported (%(n)d): %(cols)s") % {
            "n": len(report.unknown_columns), "cols": "; ".join(report.unknown_columns)})
    if report.duplicate_columns:
        out.write("  " + _("second column for the same figure, not imported: %(cols)s") % {
            "cols": "; ".join(report.duplicate_columns)})
    if report.not_published:
        out.write("  " + _("empty for every area, so not published that year: %(cols)s") % {
            "cols": ", ".join(report.not_published)})
    if report.duplicate_rows:
        out.write("  " + _("identical duplicate rows skipped: %(n)d") % {"n": report.duplicate_rows})
