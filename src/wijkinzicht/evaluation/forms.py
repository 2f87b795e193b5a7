"""The form to set up an evaluation: every field labelled, errors named per field."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkinzicht.areas.constants import AREA_CODE_RE, normalise_code

from .constants import DonorPool, Method

PREDICTOR_ROWS = 3


_SEPARATORS = re.compile(r"[,;\n]+")
_CODE_LIKE = re.compile(r"^(BU|WK|GM|NL)\d", re.IGNORECASE)


def _codes(text: str, field: str) -> list[str]:
    """The CBS codes of the areas typed: codes (separated by commas, semicolons, new lines or spaces)
    or names (separated by commas, semicolons or new lines; "Kop Zeedijk, Nes e.o."), each name
    resolved to the one area of the newest division that has it (`areas.selectors.resolve_areas`)."""
    out: list[str] = []
    bad: list[str] = []
    names: list[tuple[int, str]] = []
    for token in (t.strip() for t in _SEPARATORS.split(text or "")):
        if not token:
            continue
        parts = [normalise_code(p) for p in token.split()]
        if all(_CODE_LIKE.match(p) for p in parts):
            bad += [p for p in parts if not AREA_CODE_RE.match(p)]
            out += parts
        else:
            names.append((len(out), token))
            out.append("")
    if bad:
        raise forms.ValidationError(
            _("%(codes)s: not a CBS code (such as BU05990110 or WK036305).") % {"codes": ", ".join(bad[:5])}
        )
    for (at, _name), code in zip(names, _resolve([name for _at, name in names]), strict=True):
        out[at] = code
    return list(dict.fromkeys(c for c in out if c))


def _resolve(tokens: list[str]) -> list[str]:
    """The CBS code of each area typed: a code as it is, a name resolved to the one area of the
    newest division that has it (`areas.selectors.resolve_each`)."""
    from wijkinzicht.areas.selectors import resolve_each

    codes = [code if AREA_CODE_RE.match(code := normalise_code(t)) else None for t in tokens]
    names = [t for t, c in zip(tokens, codes, strict=True) if c is None]
    if names:
        found, problems = resolve_each(names, max_tokens=2000)
        if problems:
            raise forms.ValidationError(problems[:5])
        resolved = iter(area.code for area in found)
        codes = [c if c is not None else next(resolved) for c in codes]
    return codes


class EvaluationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example the programme's name."))
    organisation = forms.ChoiceField(label=_("Organisation"))
    method = forms.ChoiceField(
        label=_("Method"), choices=Method.choices, initial=Method.SYNTH, widget=forms.RadioSelect
    )
    programme = forms.ChoiceField(
        label=_("Programme"),
        required=False,
        help_text=_("Optional: evaluate a programme. Its areas and the year it began are used where the "
                    "fields below are left empty."),
    )
    treated = forms.CharField(
        label=_("Treated areas"),
        max_length=2000,
        required=False,
        help_text=_(
            "CBS codes or names of the buurten, wijken or gemeenten where the approach ran, separated by "
            "commas (e.g. Kop Zeedijk, BU0363AE02)."
        ),
    )
    treatment_year = forms.IntegerField(
        label=_("Start year"),
        min_value=1900,
        max_value=2200,
        required=False,
        help_text=_("First year in which the approach could have had an effect."),
    )
    starts = forms.CharField(
        label=_("Other start years"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when areas started in different years (difference-in-differences): one line per "
                    "area, its name or code, a colon and its start year, e.g. \"Kop Zeedijk: 2019\". "
                    "Areas not listed start in the start year."),
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
        help_text=_("Only for a listed pool: CBS codes or names separated by commas."),
    )
    exclude_codes = forms.CharField(
        label=_("Never compare with"),
        required=False,
        max_length=20000,
        help_text=_("CBS codes or names separated by commas."),
    )
    exclude_neighbours = forms.BooleanField(
        label=_("Leave out areas that border a treated area"), required=False, initial=True
    )
    placebos = forms.BooleanField(label=_("Run placebo tests"), required=False, initial=True)

    def __init__(self, *args, organisations=(), outcomes=(), programmes=(), **kwargs):
        """`outcomes`: (key, label) of the indicators with figures in enough years to evaluate;
        `programmes`: the programmes the user may evaluate (with their areas)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.programmes = {str(p.pk): p for p in programmes}
        self.fields["programme"].choices = [("", _("none"))] + [
            (key, f"{p.name} ({p.start_date.year})") for key, p in self.programmes.items()]
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
        return _codes(self.cleaned_data.get("treated") or "", "treated")

    def clean_starts(self):
        """"Kop Zeedijk: 2019" per line -> {code: year}."""
        text = self.cleaned_data.get("starts") or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        names, years = [], []
        for number, line in enumerate(lines, start=1):
            area, colon, year = line.rpartition(":")
            year = year.strip()
            if (not colon or not area.strip() or len(area) > 200 or not re.fullmatch(r"[0-9]{4}", year)
                    or not 1900 <= int(year) <= 2200):
                raise forms.ValidationError(
                    _("Line %(n)d (\"%(line)s\"): write the area, a colon and a year, e.g. \"Kop Zeedijk: "
                      "2019\".") % {"n": number, "line": line[:60]})
            names.append(area.strip())
            years.append(int(year))
        if not names:
            return {}
        codes = _resolve(names)
        twice = [c for c in set(codes) if codes.count(c) > 1]
        if twice:
            raise forms.ValidationError(_("%(codes)s: listed more than once.")
                                        % {"codes": ", ".join(sorted(twice))})
        return dict(zip(codes, years, strict=True))

    def clean_donor_codes(self):
        return _codes(self.cleaned_data.get("donor_codes") or "", "donor_codes")

    def clean_exclude_codes(self):
        return _codes(self.cleaned_data.get("exclude_codes") or "", "exclude_codes")

    def clean(self):
        data = super().clean()
        programme = self.programmes.get(data.get("programme") or "")
        data["programme_object"] = programme
        if programme is not None:
            own = sorted(a.code for a in programme.areas.all())
            if not data.get("treated"):
                data["treated"] = own
            elif not set(data["treated"]) <= set(own):
                self.add_error("treated", _("With a programme, the areas must be among its areas "
                                            "(%(codes)s).") % {"codes": ", ".join(own)})
            if data.get("treatment_year") is None:
                data["treatment_year"] = programme.start_date.year
        if not data.get("treated") and "treated" not in self.errors:
            self.add_error("treated", _("Give at least one CBS code, or choose a programme with areas."))
        if data.get("treatment_year") is None and "treatment_year" not in self.errors:
            self.add_error("treatment_year", _("Give the start year, or choose a programme."))
        starts = data.get("starts") or {}
        outside = [c for c in starts if c not in (data.get("treated") or [])]
        if outside:
            self.add_error("starts", _("%(codes)s: not among the treated areas.")
                           % {"codes": ", ".join(outside)})
        distinct = set(starts.values()) | ({data["treatment_year"]} if data.get("treatment_year") else set())
        if len(distinct) > 1 and data.get("method") != Method.DID:
            self.add_error("method", _("Areas with different start years can only be compared with "
                                       "difference-in-differences."))
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


class CompositionForm(forms.Form):
    """A pseudonymous person panel to split an area's change into stayers, entrants and leavers."""

    organisation = forms.ChoiceField(label=_("Organisation"),
                                     help_text=_("Whose data this is (the processing log records it)."))
    file = forms.FileField(
        label=_("Person panel"),
        help_text=_("A CSV file, one row per person and period, with the columns id (a pseudonym such as "
                    "P-1042, never a BSN or a name), period, area and outcome. The file is read once and not "
                    "kept."),
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=200,
                           help_text=_("As written in the file; may stay empty when the file has one area."))
    before = forms.CharField(label=_("First period"), required=False, max_length=40,
                             help_text=_("As written in the file; empty: the first."))
    after = forms.CharField(label=_("Second period"), required=False, max_length=40,
                            help_text=_("As written in the file; empty: the last."))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
