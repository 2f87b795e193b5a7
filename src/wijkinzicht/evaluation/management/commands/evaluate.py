"""wijkinzicht evaluate {did,synth,sdid} --panel FILE.csv --unit COL --time COL --outcome COL
--treated UNIT[,UNIT...] --treatment-time T [...]: the Django face of evaluation/command.py (the
console script runs that module without Django; this one serves call_command)."""

from django.core.management.base import BaseCommand, CommandError

from wijkinzicht.analysis.evaluation import EvaluationError
from wijkinzicht.evaluation import command


class Command(BaseCommand):
    help = command.DESCRIPTION

    def add_arguments(self, parser):
        command.add_method_arguments(
            parser.add_subparsers(dest="method", required=True, metavar="{did,synth,sdid}")
        )

    def handle(self, *args, method, **options):
        try:
            result = command.run(method, options)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from None
        command.write(self.stdout, result, options)
