from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_indicators(sender, **kwargs):
    from .services import indicators_sync

    indicators_sync()


class AreasConfig(AppConfig):
    name = "wijkinzicht.areas"
    verbose_name = _("Areas and indicators")

    def ready(self):
        post_migrate.connect(_sync_indicators, sender=self)
