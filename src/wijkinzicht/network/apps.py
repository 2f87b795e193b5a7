from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "wijkinzicht.network"
    label = "network"
    verbose_name = _("network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_save

        from wijkinzicht.parties.models import Organisation

        from . import signals

        post_save.connect(
            signals.organisation_saved, sender=Organisation, dispatch_uid="network-organisation"
        )
        m2m_changed.connect(
            signals.areas_changed,
            sender=Organisation.areas_served.through,
            dispatch_uid="network-organisation-areas",
        )
