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
