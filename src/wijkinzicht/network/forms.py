"""The network page's filter: the date shown, the date to compare with, kinds of tie, and whether
ties derived from records count."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import TieKind

EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


class NetworkFilterForm(forms.Form):
    datum = forms.DateField(
        label=_("Network on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The ties that were active on this day."),
    )
    sinds = forms.DateField(
        label=_("Compare with"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("What changed since this day."),
    )
    soort = forms.MultipleChoiceField(
        label=_("Kinds of tie"),
        required=False,
        choices=TieKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    afgeleid = forms.BooleanField(
        label=_("Also ties that follow from activities and programmes run together"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        self.initial.update(
            {"datum": today, "sinds": year_before(today), "soort": list(TieKind.values), "afgeleid": True}
        )

    def clean(self):
        data = super().clean()
        for name in ("datum", "sinds"):
            value = data.get(name)
            if value is not None and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 1990 and 2100."))
        return data

    def values(self) -> tuple[dt.date, dt.date, list[str], bool]:
        """(date, comparison date, kinds, derived) -- the defaults where the form says nothing or is
        wrong: today, a year earlier, every kind, derived ties included."""
        today = dt.date.today()
        if not self.is_bound:
            return today, year_before(today), [], True
        data = self.cleaned_data if self.is_valid() else {}
        at = data.get("datum") or today
        since = data.get("sinds") or year_before(at)
        return at, since, list(data.get("soort") or []), bool(data.get("afgeleid"))


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)
