"""wijkinzicht subject-report --organisation ID PSEUDONYM [--output FILE]: a request for access."""

import json
import os

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.privacy.services import subject_report

from ._subject import add_subject_arguments, find


class Command(BaseCommand):
    help = _("Everything held on one participant and who processed it (JSON), for a request for access.")

    def add_arguments(self, parser):
        add_subject_arguments(parser)
        parser.add_argument("--output", help=_("Write the report to this file (mode 0600) instead."))

    def handle(self, *args, organisation, pseudonym, output=None, **options):
        token = processing.set_trace()
        try:
            report = subject_report(find(organisation, pseudonym), actor="wijkinzicht subject-report")
        finally:
            processing.reset_trace(token)
        text = json.dumps(report, ensure_ascii=False, indent=2)
        if output:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stdout.write(_("Report written to %(file)s.") % {"file": output})
        else:
            self.stdout.write(text)
