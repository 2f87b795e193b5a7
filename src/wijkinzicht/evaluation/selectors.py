"""Reading evaluations (scoped to the user's organisations) and the area panel behind one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from wijkinzicht.analysis.evaluation import EvaluationError, Panel, Predictor
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.constants import AreaLevel
from wijkinzicht.core.tenancy import scope_to_user

from .constants import DonorPool
from .models import Evaluation, EvaluationRun

# an area's code starts with its level and, below the gemeente level, the gemeente number
MUNICIPALITY_PREFIX = {AreaLevel.BUURT: 6, AreaLevel.WIJK: 6, AreaLevel.GEMEENTE: 2}


def evaluations_for_user(*, user) -> QuerySet[Evaluation]:
    return scope_to_user(Evaluation.objects.select_related("organisation", "outcome"), user=user)


def evaluation_get(*, user, pk: int) -> Evaluation:
    """The evaluation, if the user belongs to its organisation; otherwise 404 (no hint it exists)."""
    found = evaluations_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def run_get(*, evaluation: Evaluation, pk: int | None = None) -> EvaluationRun | None:
    runs = evaluation.runs.all()
    if pk is None:
        return runs.first()
    found = runs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class AreaPanel:
    panel: Panel
    treated: list[str]
    donors: list[str]
    names: dict[str, str]
    predictors: list[Predictor]
    notes: list[dict] = field(default_factory=list)  # {"code": ..., **params} for the page to word


def evaluation_panel(*, evaluation: Evaluation) -> AreaPanel:
    """The panel of the outcome (and predictor indicators) for the treated areas and their pool."""
    treated_areas = list(evaluation.treated.all().order_by("code"))
    if not treated_areas:
        raise EvaluationError(_("no treated area"))
    level = treated_areas[0].level
    if any(a.level != level for a in treated_areas):
        raise EvaluationError(_("the treated areas must all be of the same level"))
    treated = [a.code for a in treated_areas]
    start = evaluation.treatment_year
    outcome = evaluation.outcome.key
    predictor_keys = sorted({p["indicator"] for p in evaluation.predictors} - {outcome})
    notes: list[dict] = []

    own = area_selectors.indicator_series(codes=treated, indicator_keys=[outcome])
    years = sorted({year for _, _, year, _ in own})
    if not [y for y in years if y < start]:
        raise EvaluationError(
            _("no figures for %(outcome)s in the treated areas before %(year)s")
            % {"outcome": outcome, "year": start}
        )
    if not [y for y in years if y >= start]:
        raise EvaluationError(
            _("no figures for %(outcome)s in the treated areas from %(year)s on")
            % {"outcome": outcome, "year": start}
        )

    excluded = set(treated) | set(evaluation.exclude_codes)
    if evaluation.exclude_neighbours:
        neighbours = area_selectors.bordering_areas(areas=treated_areas)
        if neighbours:
            notes.append({"code": "neighbours_left_out", "areas": sorted(neighbours)})
        excluded |= neighbours
    if evaluation.donor_pool == DonorPool.LIST:
        candidates = [c for c in evaluation.donor_codes if c not in excluded]
    elif evaluation.donor_pool == DonorPool.MUNICIPALITY:
        prefix = treated[0][: MUNICIPALITY_PREFIX.get(level, 2)]
        candidates = [
            c for c in area_selectors.areas_of_level(level=level, code_prefix=prefix) if c not in excluded
        ]
    else:
        base = max(y for y in years if y < start)
        try:
            comparable = area_selectors.comparable_areas(
                area=treated_areas[0],
                indicator_keys=[outcome, *predictor_keys],
                year=base,
                k=evaluation.donor_count,
                exclude=frozenset(excluded),
            )
        except ValueError as exc:
            raise EvaluationError(str(exc)) from None
        candidates = [n.unit for n in comparable.result.neighbours]
        notes.append({"code": "comparable_pool", "year": base, "count": len(candidates)})

    # one code per area: an old code whose figures run on under a new one is the same area
    duplicates = [c for group in area_selectors.same_area_groups(treated + candidates) for c in group[1:]]
    if duplicates:
        candidates = [c for c in candidates if c not in set(duplicates)]
        notes.append({"code": "same_area_left_out", "areas": sorted(duplicates)})
    codes = treated + candidates
    rows = area_selectors.indicator_series(codes=codes, indicator_keys=[outcome, *predictor_keys])
    unit_index = {c: i for i, c in enumerate(codes)}
    year_index = {y: j for j, y in enumerate(years)}
    values = {k: np.full((len(codes), len(years)), np.nan) for k in [outcome, *predictor_keys]}
    for code, key, year, value in rows:
        if year in year_index:
            values[key][unit_index[code], year_index[year]] = value
    y = values[outcome]
    missing_treated = [treated[i] for i in range(len(treated)) if np.isnan(y[i]).any()]
    if missing_treated:
        gaps = [str(years[j]) for j in np.flatnonzero(np.isnan(y[treated.index(missing_treated[0])]))]
        raise EvaluationError(
            _("%(area)s has no figure for %(outcome)s in %(years)s; choose another outcome or start year")
            % {"area": missing_treated[0], "outcome": outcome, "years": ", ".join(gaps)}
        )
    predictors = []
    for spec in evaluation.predictors:
        lo, hi = int(spec["from"]), min(int(spec["to"]), start - 1)
        if not [yr for yr in years if lo <= yr <= hi]:
            raise EvaluationError(
                _(
                    "predictor %(key)s: no year with figures between %(first)s and %(last)s "
                    "(years with figures: %(years)s)"
                )
                % {"key": spec["indicator"], "first": lo, "last": hi, "years": ", ".join(map(str, years))}
            )
        predictors.append(Predictor(spec["indicator"], span=(lo, hi)))
    complete = ~np.isnan(y).any(axis=1)
    for predictor in predictors:
        mask = (np.asarray(years) >= predictor.span[0]) & (np.asarray(years) <= predictor.span[1])
        known = ~np.isnan(values[predictor.column][:, mask]).all(axis=1)
        if not known[: len(treated)].all():
            raise EvaluationError(
                _("predictor %(key)s: no figure for a treated area in those years") % {"key": predictor.label}
            )
        complete &= known
    complete = complete[len(treated) :]
    dropped = [c for c, ok in zip(candidates, complete, strict=True) if not ok]
    if dropped:
        notes.append({"code": "donors_incomplete", "count": len(dropped), "areas": dropped[:20]})
    donors = [c for c, ok in zip(candidates, complete, strict=True) if ok]
    if len(donors) < 2:
        raise EvaluationError(
            _("only %(n)d comparison area(s) have every figure needed; at least 2 are needed")
            % {"n": len(donors)}
        )
    keep = list(range(len(treated))) + [len(treated) + i for i, ok in enumerate(complete) if ok]
    panel = Panel.from_arrays(
        treated + donors, years, y[keep], {k: values[k][keep] for k in predictor_keys}, outcome_name=outcome
    )
    names = {a.code: a.display_name for a in area_selectors.areas_by_code(codes=treated + donors).values()}
    return AreaPanel(panel, treated, donors, names, predictors, notes)


MIN_PRE_YEARS = 2  # the engines refuse fewer (synth, sdid: "too few pre-treatment periods")


def outcome_choices() -> list[tuple[str, str]]:
    """The indicators an evaluation can use: figures in at least MIN_PRE_YEARS + 1 different years
    somewhere (an indicator of one year cannot have a before and an after), with their years.
    One aggregate over every figure, so cached until the next import."""
    from django.utils.translation import get_language

    return _outcome_choices(area_selectors.data_stamp(), get_language() or "nl")


@lru_cache(maxsize=8)
def _outcome_choices(stamp: tuple, language: str) -> list[tuple[str, str]]:
    from django.db.models import Count, Max, Min

    from wijkinzicht.areas.models import Indicator, Observation

    spans = {
        row["indicator_id"]: row
        for row in Observation.objects.values("indicator_id").annotate(
            years=Count("year", distinct=True), first=Min("year"), last=Max("year"))
    }
    out = []
    for indicator in Indicator.objects.all():
        span = spans.get(indicator.pk)
        if span and span["years"] > MIN_PRE_YEARS:
            out.append((indicator.key, f"{indicator.label} ({span['first']}–{span['last']})"))
    return out


def evaluation_problems(*, treated: list[str], outcome_key: str, start: int,
                        starts: dict[str, int] | None = None) -> list[str]:
    """Why an evaluation set up like this cannot run, in plain words, before it is queued: areas
    that do not exist, and treated areas without figures for the outcome in at least MIN_PRE_YEARS
    years before the start and one from the start on (the series through code changes)."""
    known = area_selectors.areas_by_code(codes=treated)
    missing = [c for c in treated if c not in known]
    if missing:
        return [_("No area has the code(s) %(codes)s.") % {"codes": ", ".join(missing)}]
    if any(a.level == AreaLevel.LAND for a in known.values()):
        return [_("The whole country cannot be evaluated: there is no area of its level to compare it with. "
                  "Choose gemeenten, wijken or buurten.")]
    years: dict[str, set[int]] = {c: set() for c in treated}
    for code, _key, year, _value in area_selectors.indicator_series(codes=treated,
                                                                    indicator_keys=[outcome_key]):
        years[code].add(year)
    problems = []
    for code in treated:
        own = (starts or {}).get(code, start)
        before = sorted(y for y in years[code] if y < own)
        after = sorted(y for y in years[code] if y >= own)
        if len(before) < MIN_PRE_YEARS:
            problems.append(_(
                "%(area)s has figures for this indicator in %(n)d year(s) before %(start)d (%(years)s); at "
                "least %(min)d are needed to compare before and after. Choose another indicator or a later "
                "start year."
            ) % {"area": code, "n": len(before), "start": own,
                 "years": ", ".join(map(str, before)) or "–", "min": MIN_PRE_YEARS})
        elif not after:
            problems.append(_(
                "%(area)s has no figures for this indicator from %(start)d on (the last is %(last)d). Choose "
                "another indicator or an earlier start year."
            ) % {"area": code, "start": own, "last": before[-1]})
    return problems
