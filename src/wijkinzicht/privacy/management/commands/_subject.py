"""What the subject commands share: finding the participant, a trace per command."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from wijkinzicht.activities.models import Participant
from wijkinzicht.privacy.services import participant_by_pseudonym


def add_subject_arguments(parser) -> None:
    parser.add_argument("--organisation", type=int, required=True, help=_("Id of the organisation."))
    parser.add_argument("pseudonym", help=_("The participant's id in that organisation."))


def find(organisation: int, pseudonym: str) -> Participant:
    try:
        return participant_by_pseudonym(organisation, pseudonym)
    except Participant.DoesNotExist:
        raise CommandError(_("No participant “%(id)s” in organisation %(org)d.")
                           % {"id": pseudonym[:40], "org": organisation}) from None
