"""Forms of the area pages: every field labelled, validated, errors named."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import AREA_CODE_RE, AreaLevel, normalise_code


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or CBS code"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("all levels")), *AreaLevel.choices])


class MapForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.key, i.label) for i in indicators]


class IndexForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    reference = forms.CharField(label=_("Reference area (CBS code)"), required=False,
                                max_length=12)
    base_year = forms.IntegerField(label=_("Base year of the reference"), required=False,
                                   min_value=1900, max_value=2200)

    def clean_reference(self):
        value = normalise_code(self.cleaned_data.get("reference") or "")
        if value and not AREA_CODE_RE.match(value):
            raise forms.ValidationError(_("Give a CBS code such as GM0363."))
        return value


class ComparableForm(forms.Form):
    indicators = forms.MultipleChoiceField(label=_("Compare on"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    k = forms.IntegerField(label=_("Number of areas"), required=False, min_value=1,
                           max_value=50, initial=10)
    within = forms.CharField(label=_("Only within (CBS code of a gemeente or wijk)"),
                             required=False, max_length=12)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.key, i.label) for i in indicators]

    def clean_within(self):
        value = normalise_code(self.cleaned_data.get("within") or "")
        if value and not AREA_CODE_RE.match(value):
            raise forms.ValidationError(_("Give a CBS code such as GM0363."))
        return value


class TableForm(forms.Form):
    """The table builder: which areas (typed, or the parts of one area), which indicators, which
    years. A GET form, so that a table is a link that can be shared."""

    # 2,000 characters (about 180 buurt codes) keep the link within 8 KB; for more, "the parts of"
    areas = forms.CharField(
        label=_("Areas"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("CBS codes or names, one per line or separated by commas, e.g. GM0363, Den Haag. For "
                    "all wijken or buurten of an area use “And the parts of”."))
    parts_of = forms.CharField(label=_("And the parts of (CBS code)"), required=False, max_length=12)
    parts_level = forms.ChoiceField(label=_("Parts at level"), required=False, choices=[
        ("", _("the next level")), ("wijk", _("wijken")), ("buurt", _("buurten"))])
    indicators = forms.MultipleChoiceField(label=_("Indicators"), widget=forms.CheckboxSelectMultiple)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900, max_value=2200)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.key, f"{i.label} ({i.unit})" if i.unit else i.label)
                                             for i in indicators]

    def clean_parts_of(self):
        value = normalise_code(self.cleaned_data.get("parts_of") or "")
        if value and not AREA_CODE_RE.match(value):
            raise forms.ValidationError(_("Give a CBS code such as GM0363."))
        return value

    def clean(self):
        data = super().clean()
        given = (data.get("areas") or "").strip() or data.get("parts_of") or self.has_error("parts_of")
        if not given:
            self.add_error("areas", _("Give at least one area, or the area whose parts you want."))
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo and hi and lo > hi:
            self.add_error("year_to", _("The last year comes before the first."))
        return data
