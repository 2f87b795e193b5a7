"""Forms: they parse and label; the rules are the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.widgets import DateInput

from .constants import ElementKind, Moment, PartyRole, ReachMeasure, SourceKind


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


class ProgrammeForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Owning organisation"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"))
    areas = forms.CharField(
        label=_("Areas (CBS codes)"), help_text=_("Gemeente, wijk or buurt codes separated by commas.")
    )
    activities = forms.TypedMultipleChoiceField(
        label=_("Activities of your organisation"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.CharField(
        label=_("Partners and their role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: organisation name, a colon, its role. E.g. “Woonstad: financier”."),
    )

    def __init__(self, *args, organisations=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["activities"].choices = [(a.pk, a.title) for a in activities]


class ElementEditForm(forms.Form):
    """Title and explanation of an element (the editor's change form, drawn by hand)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ElementForm(ElementEditForm):
    kind = forms.ChoiceField(label=_("Layer"), choices=ElementKind.choices)
    activity = forms.TypedChoiceField(
        label=_("Registered activity"), coerce=int, required=False, empty_value=None
    )
    field_order = ["kind", "title", "description", "activity"]

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "—"), *[(a.pk, a.title) for a in activities]]


class LinkEditForm(forms.Form):
    """Assumption and rationale of an arrow (the editor's change form, drawn by hand)."""

    assumption = forms.CharField(
        label=_("Assumption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What must hold for this step to work."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why we expect it: evidence, experience."),
    )


class LinkForm(LinkEditForm):
    source = forms.TypedChoiceField(label=_("From"), coerce=int)
    target = forms.TypedChoiceField(label=_("leads to"), coerce=int)
    field_order = ["source", "target", "assumption", "rationale"]

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(e["id"], f"{e['number']} {e['title']}") for e in elements]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices


class RoleForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Partner"), coerce=int)
    role = forms.ChoiceField(label=_("Agreed role"), choices=PartyRole.choices)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(p.pk, p.name) for p in partners]


class VisionForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=[(k, str(k)) for k in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 hardly important, 5 most important."),
    )
    own_role = forms.ChoiceField(label=_("Our own role"), choices=PartyRole.choices)
    responsible = forms.TypedChoiceField(
        label=_("Who is responsible, in our view"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, own=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in own]
        self.fields["responsible"].choices = [("", "—"), *[(p.pk, p.name) for p in partners]]


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices, widget=forms.RadioSelect)
    area = forms.CharField(label=_("Area code (area indicator)"), required=False, max_length=12)
    area_indicator = forms.ChoiceField(label=_("CBS indicator (area indicator)"), required=False)
    reach_measure = forms.ChoiceField(
        label=_("What to count (reach)"), required=False, choices=[("", "—"), *ReachMeasure.choices]
    )
    instrument = forms.ChoiceField(label=_("Instrument (instrument scores)"), required=False)
    instrument_part = forms.ChoiceField(label=_("Part of the instrument"), required=False)
    baseline_value = forms.FloatField(label=_("Baseline value"), required=False)
    baseline_date = _date(_("Baseline date"), required=False)
    target_value = forms.FloatField(label=_("Target value"), required=False)
    target_date = _date(_("Target date"), required=False)

    def __init__(self, *args, area_indicators=(), instruments=(), parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_indicator"].choices = [("", "—"), *[(i.key, i.label) for i in area_indicators]]
        self.fields["instrument"].choices = [("", "—"), *instruments]
        self.fields["instrument_part"].choices = [("", _("total score")), *parts]


class ManualValueForm(forms.Form):
    date = _date(_("Date"))
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Source or note"), required=False, max_length=300)


class MeasurementEditForm(forms.Form):
    """What a correction may change; the questions of the instrument are added as fields."""

    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)
    moment = forms.ChoiceField(label=_("Moment"), choices=Moment.choices)
    date = _date(_("Date"))

    def __init__(self, *args, programmes=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—"), *[(p.pk, p.name) for p in programmes]]
        self.fields["date"].initial = dt.date.today()
        for q in questions:
            self.fields[q.key] = forms.ChoiceField(label=q.text, choices=q.choices, required=False)


class MeasurementForm(MeasurementEditForm):
    """A new measurement: also the organisation and the participant."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    participant = forms.CharField(
        label=_("Participant id"), max_length=40, help_text=_("Your own pseudonymous id.")
    )
    field_order = ["organisation", "participant", "programme", "moment", "date"]

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class MeasurementImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns deelnemer, moment, datum and the instrument's item columns (e.g. djg_1 … djg_11)."
        ),
    )

    def __init__(self, *args, organisations=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["programme"].choices = [("", "—"), *[(p.pk, p.name) for p in programmes]]


class AnalysisForm(forms.Form):
    before = forms.ChoiceField(label=_("First measurement"), choices=Moment.choices, initial=Moment.INTAKE)
    after = forms.ChoiceField(
        label=_("Compared with"), choices=[("last", _("the last later measurement")), *Moment.choices]
    )
    start = _date(_("From"), required=False)
    end = _date(_("Up to and including"), required=False)
    reliability = forms.FloatField(
        label=_("Reliability (for the reliable change index)"),
        required=False,
        min_value=0,
        max_value=0.99,
        help_text=_("Leave empty to use Cronbach's alpha of the intake answers."),
    )


class PartnerAnalysisForm(forms.Form):
    """What a partner may choose: one of the fixed periods (whole calendar years or the whole
    history); the moments and the reliability are the defaults (decision 0014)."""

    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, windows: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.windows = {self.key(w): w for w in windows}
        self.fields["period"].choices = [(self.key(w), self.label(w)) for w in windows]

    @staticmethod
    def key(window) -> str:
        start, end = window
        return "" if start is None else f"{start.year}-{end.year}"

    @staticmethod
    def label(window) -> str:
        start, end = window
        if start is None:
            return str(_("the whole history"))
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"

    def window(self) -> tuple:
        if self.is_valid():
            return self.windows.get(self.cleaned_data["period"] or "", (None, None))
        return None, None
