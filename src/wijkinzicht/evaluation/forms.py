"""The form to set up an evaluation: every field labelled, errors named per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkinzicht.areas.constants import AREA_CODE_RE, normalise_code

from .constants import DonorPool, Method

PREDICTOR_ROWS = 3


def _codes(text: str, field: str) -> list[str]:
    codes = [
        normalise_code(c) for c in text.replace(";", ",").replace("\n", ",").replace(" ", ",").split(",")
    ]
    codes = [c for c in codes if c]
    bad = [c for c in codes if not AREA_CODE_RE.match(c)]
    if bad:
        raise forms.ValidationError(
            _("%(codes)s: not a CBS code (such as BU05990110 or WK036305).") % {"codes": ", ".join(bad[:5])}
        )
    return list(dict.fromkeys(codes))


class EvaluationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example the programme's name."))
    organisation = forms.ChoiceField(label=_("Organisation"))
    method = forms.ChoiceField(
        label=_("Method"), choices=Method.choices, initial=Method.SYNTH, widget=forms.RadioSelect
    )
    treated = forms.CharField(
        label=_("Treated areas"),
        max_length=2000,
        help_text=_(
            "CBS codes of the buurten, wijken or gemeenten where the approach ran, separated by commas."
        ),
    )
    treatment_year = forms.IntegerField(
        label=_("Start year"),
        min_value=1900,
        max_value=2200,
        help_text=_("First year in which the approach could have had an effect."),
    )
    outcome = forms.ChoiceField(label=_("Outcome indicator"))
    donor_pool = forms.ChoiceField(
        label=_("Comparison areas"),
        choices=DonorPool.choices,
        initial=DonorPool.COMPARABLE,
        widget=forms.RadioSelect,
    )
    donor_count = forms.IntegerField(
        label=_("Number of comparable areas"), initial=50, min_value=2, max_value=2000, required=False
    )
    donor_codes = forms.CharField(
        label=_("Listed comparison areas"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a listed pool: CBS codes separated by commas."),
    )
    exclude_codes = forms.CharField(
        label=_("Never compare with"),
        required=False,
        max_length=20000,
        help_text=_("CBS codes separated by commas."),
    )
    exclude_neighbours = forms.BooleanField(
        label=_("Leave out areas that border a treated area"), required=False, initial=True
    )
    placebos = forms.BooleanField(label=_("Run placebo tests"), required=False, initial=True)

    def __init__(self, *args, organisations=(), outcomes=(), **kwargs):
        """`outcomes`: (key, label) of the indicators with figures in enough years to evaluate."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        choices = list(outcomes)
        self.fields["outcome"].choices = choices
        for n in range(1, PREDICTOR_ROWS + 1):
            self.fields[f"predictor_{n}"] = forms.ChoiceField(
                label=_("Predictor %(n)d") % {"n": n}, required=False, choices=[("", _("none")), *choices]
            )
            self.fields[f"predictor_{n}_from"] = forms.IntegerField(
                label=_("Predictor %(n)d from year") % {"n": n},
                required=False,
                min_value=1900,
                max_value=2200,
            )
            self.fields[f"predictor_{n}_to"] = forms.IntegerField(
                label=_("Predictor %(n)d to year") % {"n": n}, required=False, min_value=1900, max_value=2200
            )

    def predictor_rows(self):
        return [
            (self[f"predictor_{n}"], self[f"predictor_{n}_from"], self[f"predictor_{n}_to"])
            for n in range(1, PREDICTOR_ROWS + 1)
        ]

    def clean_treated(self):
        codes = _codes(self.cleaned_data["treated"], "treated")
        if not codes:
            raise forms.ValidationError(_("Give at least one CBS code."))
        return codes

    def clean_donor_codes(self):
        return _codes(self.cleaned_data.get("donor_codes") or "", "donor_codes")

    def clean_exclude_codes(self):
        return _codes(self.cleaned_data.get("exclude_codes") or "", "exclude_codes")

    def clean(self):
        data = super().clean()
        predictors = []
        for n in range(1, PREDICTOR_ROWS + 1):
            key, lo, hi = (
                data.get(f"predictor_{n}"),
                data.get(f"predictor_{n}_from"),
                data.get(f"predictor_{n}_to"),
            )
            if not key:
                continue
            if lo is None or hi is None:
                self.add_error(
                    f"predictor_{n}_from" if lo is None else f"predictor_{n}_to",
                    _("Give the years over which the predictor is averaged."),
                )
                continue
            if lo > hi:
                self.add_error(f"predictor_{n}_to", _("The last year comes before the first."))
                continue
            start = data.get("treatment_year")
            if start is not None and lo >= start:
                self.add_error(f"predictor_{n}_from", _("A predictor must lie before the start year."))
                continue
            if start is not None and hi >= start:  # years from the start on would carry the effect in
                self.add_error(f"predictor_{n}_to", _("A predictor must lie before the start year."))
                continue
            predictors.append({"indicator": key, "from": lo, "to": hi})
        if predictors and data.get("method") != Method.SYNTH:
            self.add_error("method", _("Only the synthetic control uses predictors; remove them or pick it."))
        if data.get("donor_pool") == DonorPool.LIST and len(data.get("donor_codes") or []) < 2:
            self.add_error("donor_codes", _("List at least 2 comparison areas."))
        data["predictors"] = predictors
        return data
