"""wijkinzicht reset-2fa USER: remove a user's authenticator and recovery codes (lost phone)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.accounts.services import two_factor_reset


class Command(BaseCommand):
    help = _("Remove a user's two-factor devices; at the next login they set up a new authenticator.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("no user %(name)s") % {"name": username})
        two_factor_reset(user=user)
        self.stdout.write(_("Two-factor login of %(name)s removed; the next login sets it up again.")
                          % {"name": username})
