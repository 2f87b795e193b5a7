"""Forms: they parse and label; the rules are the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.widgets import DateInput

from .constants import ActivityKind, Frequency, Gender, ImportKind, ImportMode, TargetGroup, Theme, Weekday


def _codes(text: str) -> list[str]:
    return [c for c in text.replace(";", ",").replace("\n", ",").replace(" ", ",").split(",") if c.strip()]


class ActivityForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Lead organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *ActivityKind.choices])
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resident_led = forms.BooleanField(label=_("Resident-led (run by residents themselves)"), required=False)
    areas = forms.CharField(
        label=_("Areas (CBS codes)"),
        required=False,
        help_text=_("Buurt or wijk codes separated by commas, e.g. BU03630000, WK036301."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    location_name = forms.CharField(label=_("Location"), required=False, max_length=200)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    city = forms.CharField(label=_("Place"), required=False, max_length=100)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    cost = forms.CharField(label=_("Cost"), required=False, max_length=120)
    is_free = forms.BooleanField(label=_("Free of charge"), required=False)
    accessibility = forms.CharField(label=_("Accessibility"), required=False, max_length=300)
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=120)
    contact_phone = forms.CharField(label=_("Telephone"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    partners = forms.TypedMultipleChoiceField(
        label=_("Partner organisations"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    informal_partners = forms.CharField(
        label=_("Other partners (not registered)"), required=False, max_length=300
    )
    is_published = forms.BooleanField(label=_("Publish on the sociale kaart"), required=False)

    def __init__(self, *args, organisations, partner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["partners"].choices = partner_choices

    def area_codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("areas") or "")

    def activity_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("organisation", "areas", "partners"):
            data.pop(name, None)
        return data


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=dt.date.today)
    participants = forms.TypedMultipleChoiceField(
        label=_("Registered participants present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("Other participants present (ids)"),
        required=False,
        help_text=_("Participant ids of your organisation, separated by commas."),
    )
    anonymous_count = forms.IntegerField(
        label=_("Attendees counted anonymously"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    volunteers = forms.IntegerField(
        label=_("Volunteers"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours (together)"),
        min_value=0,
        max_value=10000,
        decimal_places=2,
        initial=0,
        localize=True,
    )
    professional_hours = forms.DecimalField(
        label=_("Professional hours (together)"),
        min_value=0,
        max_value=10000,
        decimal_places=2,
        initial=0,
        localize=True,
    )
    note = forms.CharField(label=_("Note (no personal details)"), required=False, max_length=300)

    def __init__(self, *args, participant_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = participant_choices

    def other_pseudonyms(self) -> list[str]:
        return _codes(self.cleaned_data.get("other_participants") or "")


class ParticipantForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    pseudonym = forms.CharField(
        label=_("Participant id"),
        max_length=40,
        help_text=_("Your organisation's own id; never a name or BSN."),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=[("", "—"), *Gender.choices], required=False
    )
    home_buurt = forms.CharField(
        label=_("Home buurt (CBS code)"), required=False, max_length=12, help_text=_("E.g. BU03630000.")
    )
    consent = forms.BooleanField(label=_("Consent to registration given"), required=False)
    consent_date = forms.DateField(label=_("Consent date"), required=False, widget=DateInput())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class ImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    mode = forms.ChoiceField(
        label=_("When some rows are bad"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        initial=ImportMode.KEEP_VALID,
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class ReachForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    area = forms.CharField(
        label=_("Or an area (CBS code)"),
        required=False,
        max_length=12,
        help_text=_("Gemeente, wijk or buurt, e.g. GM0363."),
    )
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *[(o.pk, o.name) for o in organisations]]

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("area"):
            raise forms.ValidationError(_("Choose an organisation or give an area code."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end lies before the start."))
        elif data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 366 * 5:
            self.add_error("end", _("A period is at most five years."))
        return data
