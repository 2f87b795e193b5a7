"""wijkinzicht processing-log [--verify] [--expect-head HASH]: the processing log's size and head,
and a check of its hash chain.

The chain shows a changed, inserted or removed entry anywhere -- except entries removed from its
end, which leave a shorter but intact chain. Keep the head printed here outside the database (the
operator's daily log, the backup job): `--expect-head` then checks that the entry it names is still
in the chain (docs/privacy.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.core.models import ProcessingLogEntry


class Command(BaseCommand):
    help = _("Show the size and head of the processing log; --verify checks its hash chain (exit 1 if "
             "broken); --expect-head HASH also checks that a head kept elsewhere is still in it.")

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help=_("Check every line's hash and link."))
        parser.add_argument("--expect-head", default="", help=_("A head printed earlier and kept elsewhere."))

    def handle(self, *args, verify=False, expect_head="", **options):
        head = ProcessingLogEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first() or ""
        self.stdout.write(_("%(n)d lines in the processing log.") % {"n": ProcessingLogEntry.objects.count()})
        self.stdout.write(_("Head: %(hash)s") % {"hash": head or "-"})
        problems = processing.verify() if verify or expect_head else []
        if expect_head and not ProcessingLogEntry.objects.filter(entry_hash=expect_head.strip()).exists():
            problems.append(_("the head kept elsewhere (%(hash)s) is no longer in the log: lines were "
                              "removed from its end") % {"hash": expect_head.strip()[:16]})
        for problem in problems[:50]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("The processing log was tampered with: %(n)d problem(s).")
                               % {"n": len(problems)})
        if verify or expect_head:
            self.stdout.write(_("The hash chain is intact."))
