"""wijkinzicht import-mergers FILE [--dry-run] [--verbose-list]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.areas.management.commands._importing import run_import
from wijkinzicht.areas.services import mergers_import


class Command(BaseCommand):
    help = _("Link dissolved gemeenten to the new gemeente they merged into, from CBS's gemeente "
             "lifecycle (begin and end dates), decided by the wijk and buurt names and the dwellings "
             "already imported. Import the figures and names first. Format and rules: docs/areas.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The lifecycle CSV (begin and end date of every gemeente)."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Show what would change; write nothing."))
        parser.add_argument("--list", action="store_true",
                            help=_("List every gemeente linked and not linked."))

    def handle(self, *args, file, dry_run, list, **options):  # noqa: A002
        r = run_import(self, file, lambda: mergers_import(file, dry_run=dry_run))
        head = _("Dry run, nothing written") if dry_run else _("Gemeente mergers imported")
        self.stdout.write(f"{head}: {r.filename}: " + _(
            "%(dissolved)d gemeenten ended, %(linked)d linked to their successor (%(created)d links new, "
            "%(updated)d changed, %(same)d unchanged), %(not)d not linked")
            % {"dissolved": r.dissolved, "linked": len(r.linked), "created": r.links_created,
               "updated": r.links_updated, "same": r.links_unchanged, "not": len(r.not_linked)})
        if list:
            for line in r.linked:
                self.stdout.write("  + " + line)
            for line in r.not_linked:
                self.stdout.write("  - " + line)
