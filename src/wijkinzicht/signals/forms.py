"""Forms of the signals pages: entering a signal (checked, then saved), the municipality's answer,
the report's area and period, and an import file."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkinzicht.activities.constants import TargetGroup

from . import periods
from .constants import TEXT_MAX, Novelty, ResponseKind, Urgency
from .models import Theme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignalForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    area = forms.ChoiceField(
        label=gettext_lazy("Buurt or wijk"),
        help_text=gettext_lazy("Where you noticed it: the buurt, or the whole wijk."),
    )
    observed_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    text = forms.CharField(
        label=gettext_lazy("What did you notice?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "About the neighbourhood, never about a person: no names, addresses, phone numbers or other "
            "numbers by which someone can be recognised. The text is checked before it is saved."
        ),
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Ticked: what the text is about according to the check; change what is wrong."
        ),
    )
    main_theme = forms.ChoiceField(
        label=gettext_lazy("Main theme"),
        required=False,
        help_text=gettext_lazy(
            "If you tick more than one theme: the one it is mostly about. It decides with which similar "
            "signals it is bundled."
        ),
    )
    target_group = forms.ChoiceField(
        label=gettext_lazy("Target group"), choices=TargetGroup.choices, initial=TargetGroup.EVERYONE
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    novelty = forms.ChoiceField(
        label=gettext_lazy("New or continuing"),
        choices=Novelty.choices,
        initial=Novelty.NEW,
        widget=forms.RadioSelect,
    )
    confirm_no_personal_data = forms.BooleanField(
        label=gettext_lazy(
            "I have read the marked words again: they are not personal data (the text is then kept in my "
            "organisation only, never quoted or used for training)"
        ),
        required=False,
    )

    def __init__(self, *args, areas, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—")] + [
            (a.code, f"{a.name} ({a.get_level_display()}, {a.code})") for a in areas
        ]
        self.fields["themes"].choices = [(t.key, t.name) for t in Theme.objects.filter(is_active=True)]
        self.fields["main_theme"].choices = [("", _("the first ticked"))] + self.fields["themes"].choices
        if len(organisations) > 1:
            self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        self.fields["observed_on"].initial = timezone.localdate()

    def clean_observed_on(self):
        value = self.cleaned_data["observed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."))
        if value < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("The date lies before 2000."))
        return value

    def clean_text(self):
        value = self.cleaned_data["text"].strip()
        if "\x00" in value:
            raise forms.ValidationError(_("The text contains a character that is not allowed."))
        return value


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Answer"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=gettext_lazy("Explanation"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What is done, or why nothing is done. The reporting organisations read it."),
    )


class ReportForm(forms.Form):
    gebied = forms.CharField(
        label=gettext_lazy("Area"),
        max_length=100,
        help_text=gettext_lazy("Name or code of a gemeente, wijk or buurt."),
    )
    periode = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        help_text=gettext_lazy("A calendar month, quarter or year."),
    )
    per = forms.ChoiceField(
        label=gettext_lazy("Trend per"),
        required=False,
        choices=[("maand", gettext_lazy("month")), ("week", gettext_lazy("week"))],
        initial="maand",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = periods.choices(timezone.localdate())

    def period(self) -> tuple[periods.ReportPeriod, str]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        chosen = periods.parse(data.get("periode") or "", today) or periods.default(today)
        return chosen, data.get("per") or "maand"


class ImportForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV or XLSX with the columns datum, gebied, tekst and themas (see the example)."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
