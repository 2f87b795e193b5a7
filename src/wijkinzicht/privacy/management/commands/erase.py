"""wijkinzicht erase --organisation ID PSEUDONYM --yes: erase a participant on request."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.privacy.services import erase

from ._subject import add_subject_arguments, find


class Command(BaseCommand):
    help = _("Erase a participant on request: their visits stay counted as anonymous, their measurements "
             "are deleted, the erasure is logged.")

    def add_arguments(self, parser):
        add_subject_arguments(parser)
        parser.add_argument("--yes", action="store_true", help=_("Confirm; without it nothing is erased."))

    def handle(self, *args, organisation, pseudonym, yes=False, **options):
        participant = find(organisation, pseudonym)
        if not yes:
            raise CommandError(_("Add --yes to erase “%(id)s”; this cannot be undone.")
                               % {"id": pseudonym[:40]})
        token = processing.set_trace()
        try:
            done = erase(participant, actor="wijkinzicht erase")
        finally:
            processing.reset_trace(token)
        self.stdout.write(_("Erased: %(visits)d visits now count as anonymous, %(m)d measurements deleted.")
                          % {"visits": done.visits, "m": done.measurements})
