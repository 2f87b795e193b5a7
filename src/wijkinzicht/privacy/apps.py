from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The rights of data subjects and retention (issue 12, docs/privacy.md): above activities and
    outcomes, because a participant's data lives in both."""

    name = "wijkinzicht.privacy"
    verbose_name = _("Privacy")
