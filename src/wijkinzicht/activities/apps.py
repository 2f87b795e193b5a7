from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wijkinzicht.activities"
    verbose_name = _("Activities and reach")

    def ready(self):
        from wijkinzicht.areas import selectors as area_selectors

        def locate(postcode: str):
            from .selectors import postcode_origin

            origin = postcode_origin(postcode)
            return None if origin is None else (origin.latitude, origin.longitude, origin.basis)

        if locate.__qualname__ not in {f.__qualname__ for f in area_selectors.POSTCODE_LOCATORS}:
            area_selectors.POSTCODE_LOCATORS.append(locate)
