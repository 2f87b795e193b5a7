"""wijkinzicht import-crosswalk FILE [--from-column C] [--to-column C] [--year Y | --year-column C]
[--share-column C] [--dry-run]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.areas.management.commands._importing import run_import
from wijkinzicht.areas.services import crosswalk_import


class Command(BaseCommand):
    help = _("Import area lineage (which old area went into which new one, and what share) from a "
             "crosswalk CSV; the parents' links follow from the buurten's. Format: docs/areas.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The CSV file."))
        parser.add_argument("--from-column", default="from_code", help=_("Column with the old code."))
        parser.add_argument("--to-column", default="to_code", help=_("Column with the new code."))
        parser.add_argument("--year", type=int, help=_("First year of the new division, for every row."))
        parser.add_argument("--year-column", default="year", help=_("Column with that year, per row."))
        parser.add_argument("--share-column", default="share", help=_("Column with the share (0 to 1)."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Show what would change; write nothing."))

    def handle(self, *args, file, from_column, to_column, year, year_column, share_column, dry_run,
               **options):
        r = run_import(self, file, lambda: crosswalk_import(
            file, from_column=from_column, to_column=to_column, year=year, year_column=year_column,
            share_column=share_column, dry_run=dry_run))
        head = _("Dry run, nothing written") if dry_run else _("Crosswalk imported")
        self.stdout.write(f"{head}: {r.filename}: " + _(
            "%(rows)d rows, %(created)d links new, %(updated)d changed, %(same)d unchanged, "
            "%(derived)d links of wijken and gemeenten derived, %(unknown)d codes without an area here")
            % {"rows": r.rows, "created": r.links_created, "updated": r.links_updated,
               "same": r.links_unchanged, "derived": r.derived_links, "unknown": len(r.unknown_areas)})
        if r.duplicate_rows:
            self.stdout.write("  " + _("rows with a link already given, read once: %(n)d")
                              % {"n": r.duplicate_rows})
