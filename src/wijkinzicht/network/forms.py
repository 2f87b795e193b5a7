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

    # sent by the form itself: a link with only a date (or the slider) keeps every kind and the
    # derived ties, and the boxes say so; a sent form with no kind ticked shows no declared tie
    gekozen = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "gekozen" not in data:
            data = data.copy()
            data.setlist("soort", list(TieKind.values))
            data["afgeleid"] = "on"
        super().__init__(data, *args, **kwargs)
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
        if data.get("datum") and data["datum"] > dt.date.today():
            self.add_error("datum", _("Choose a date up to today: the network is shown as it was."))
        return data

    def values(self) -> tuple[dt.date, dt.date, list[str] | None, bool]:
        """(date, comparison date, kinds, derived) -- the defaults where the form says nothing or is
        wrong: today, a year earlier, every kind (None), derived ties included."""
        today = dt.date.today()
        if not self.is_bound:
            return today, year_before(today), None, True
        self.is_valid()
        data = self.cleaned_data  # the fields that passed; a wrong one falls back to its default
        at = data.get("datum") or today
        since = data.get("sinds") or year_before(at)
        kinds = list(data["soort"]) if "soort" in data else None
        return at, since, kinds, bool(data.get("afgeleid", True))


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


class TieDeclareForm(forms.Form):
    """A tie of one of the user's organisations, or of an informal party it added."""

    source = forms.TypedChoiceField(
        label=_("From"),
        coerce=int,
        help_text=_("Your organisation, or an informal party your organisation added (it speaks for it)."),
    )
    target = forms.TypedChoiceField(
        label=_("With"), coerce=int, help_text=_("A party working in your areas.")
    )
    kind = forms.ChoiceField(label=_("Kind of tie"), choices=TieKind.choices)
    since = forms.DateField(
        label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("First day without the tie; empty while it lasts."),
    )
    strength = forms.TypedChoiceField(
        label=_("Strength"),
        coerce=int,
        initial=2,
        choices=[(1, _("1 – occasional")), (2, _("2 – regular")), (3, _("3 – close"))],
    )
    note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen only by your organisation."),
    )

    def __init__(self, *args, sources, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(p.pk, p.name) for p in sources]
        self.fields["target"].choices = [(p.pk, p.name) for p in targets]

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            value = data.get(name)
            if value is not None and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 1990 and 2100."))
        return data


class PartyForm(forms.Form):
    """An informal party the organisation works with (public fields only)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    areas = forms.CharField(
        label=_("Areas served"),
        required=False,
        max_length=500,
        help_text=_("CBS codes of buurten, wijken or the gemeente, separated by spaces (e.g. BU05990111)."),
    )
    contact = forms.CharField(label=_("Contact (public)"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What the party does (public)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organisation = forms.TypedChoiceField(label=_("Added by"), coerce=int)

    def __init__(self, *args, organisations, **kwargs):
        from wijkinzicht.parties.constants import FORMAL_KINDS, OrganisationKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, label) for k, label in OrganisationKind.choices if k not in FORMAL_KINDS
        ]
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_areas(self):
        from wijkinzicht.areas import selectors as area_selectors

        codes = [c.upper() for c in self.cleaned_data["areas"].replace(",", " ").split()][:50]
        found = area_selectors.areas_by_code(codes=codes)
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("Unknown area code: %(code)s") % {"code": missing[0]})
        return list(found.values())


class TieEndForm(forms.Form):
    until = forms.DateField(
        label=_("First day without the tie"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_until(self):
        value = self.cleaned_data["until"]
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("Choose a date between 1990 and 2100."))
        return value
