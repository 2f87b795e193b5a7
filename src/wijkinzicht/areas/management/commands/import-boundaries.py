"""wijkinzicht import-boundaries FILE --code-property NAME [--name-property NAME] [--dry-run]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.areas.management.commands._importing import run_import
from wijkinzicht.areas.services import boundaries_import


class Command(BaseCommand):
    help = _("Import area boundaries from a GeoJSON FeatureCollection in WGS84.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The GeoJSON file."))
        parser.add_argument("--code-property", required=True,
                            help=_("Feature property holding the CBS code, e.g. statcode."))
        parser.add_argument("--name-property", help=_("Feature property holding the name."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Show what would change; write nothing."))

    def handle(self, *args, file, code_property, name_property, dry_run, **options):
        r = run_import(self, file, lambda: boundaries_import(
            file, code_property=code_property, name_property=name_property, dry_run=dry_run))
        head = _("Dry run, nothing written") if dry_run else _("Boundaries imported")
        self.stdout.write(f"{head}: {r.filename}: " + _(
            "%(features)d features, %(set)d boundaries set, %(same)d unchanged, "
            "%(created)d new areas") % {"features": r.features, "set": r.boundaries_set,
                                         "same": r.boundaries_unchanged,
                                         "created": r.areas_created})
