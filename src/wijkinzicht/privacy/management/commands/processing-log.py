"""wijkinzicht processing-log --verify: check that the processing log's hash chain is intact."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.core.models import ProcessingLogEntry


class Command(BaseCommand):
    help = _("Show the size of the processing log; --verify checks its hash chain (exit 1 if broken).")

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help=_("Check every line's hash and link."))

    def handle(self, *args, verify=False, **options):
        self.stdout.write(_("%(n)d lines in the processing log.") % {"n": ProcessingLogEntry.objects.count()})
        if verify:
            problems = processing.verify()
            for problem in problems[:50]:
                self.stderr.write(problem)
            if problems:
                raise CommandError(_("The processing log was tampered with: %(n)d problem(s).")
                                   % {"n": len(problems)})
            self.stdout.write(_("The hash chain is intact."))
