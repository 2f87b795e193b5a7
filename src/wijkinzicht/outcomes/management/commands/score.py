"""wijkinzicht score INSTRUMENT INPUT.csv [--out OUTPUT.csv]: score a survey file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.outcomes.scoring import INSTRUMENTS, ScoreError, score_file


class Command(BaseCommand):
    help = _(
        "Score a survey file with a validated instrument; all columns pass through, "
        "score, emotional, social and category are added."
    )
    # A file-to-file tool that never touches the database or the web configuration: Django's
    # system checks would import every view (about 1.5 s of the 1,000,000-row benchmark).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("instrument", choices=sorted(INSTRUMENTS), help=_("The instrument."))
        parser.add_argument("input", help=_("CSV with one row per respondent; items in columns djg_N."))
        parser.add_argument(
            "--out",
            help=_("Write here instead of to standard output (nothing is written if the file has an error)."),
        )

    def handle(self, *args, instrument, input, out, **options):
        try:
            n = score_file(instrument, Path(input), Path(out) if out else None, stdout=sys.stdout)
        except ScoreError as exc:
            raise CommandError(str(exc)) from None
        if out:
            self.stderr.write(_("%(n)d rows scored into %(out)s.") % {"n": n, "out": out})
