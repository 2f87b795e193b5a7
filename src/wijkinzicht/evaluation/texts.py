"""Results in plain words, in the user's language: warnings, notes and the summary."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkinzicht.core.charts import format_number

EVIDENCE = {
    "descriptive": lambda: _(
        "Descriptive trend: the comparison does not pass the checks for a causal reading."
    ),
    "did_pretrend": lambda: _("Difference-in-differences with a pre-trend check that passed."),
    "synth_placebo": lambda: _("Synthetic control with placebo inference."),
}


PLACEBO_KINDS = {
    "placebo standard error": lambda: _("placebo standard error"),
    "in-space": lambda: _("placebo in space: every comparison area in turn as if treated"),
    "randomization inference": lambda: _("randomization inference: comparison areas in the treated role"),
}


def evidence_text(result: dict) -> str:
    """The evidence label, named after the method that ran (an SDID run is not a synthetic control)."""
    if result.get("evidence") == "synth_placebo" and result.get("method") == "sdid":
        return _("Synthetic difference-in-differences with placebo inference.")
    return EVIDENCE.get(result.get("evidence"), lambda: result.get("evidence") or "")()


def leave_one_out_text(without: str, moved_to: float, estimate: float, decimals: int) -> str:
    return _(
        "Leaving out %(area)s alone moves the effect from %(estimate)s to %(moved)s: more than the effect "
        "itself. The result rests on that one comparison area; read it with great care."
    ) % {"area": without, "estimate": _n(estimate, decimals), "moved": _n(moved_to, decimals)}


def placebo_kind(kind: str) -> str:
    return PLACEBO_KINDS.get(kind, lambda: kind)()


def _n(value, decimals: int = 1) -> str:
    return format_number(value, decimals) if value is not None else "?"


def warning_text(code: str, params: dict, fallback: str) -> str:
    p = params or {}
    if code == "poor_fit":
        return _(
            "Poor fit before the start: the comparison misses the treated area by %(rmspe)s on average "
            "(the level is about %(level)s). The difference after the start cannot be read as an effect."
        ) % {"rmspe": _n(p.get("pre_rmspe"), 2), "level": _n(p.get("level"))}
    if code == "few_donors":
        return _("Only %(n)d comparison areas: the placebo test cannot give a p-value below 1/%(m)d.") % {
            "n": p.get("donors", 0),
            "m": p.get("donors", 0) + 1,
        }
    if code == "few_pre_periods":
        return _("Only %(n)d years before the start: a good fit over so few years says little.") % {
            "n": p.get("periods", 0)
        }
    if code == "outside_hull":
        return _(
            "The treated area lies outside the range of the comparison areas on %(variables)s: no mix of "
            "comparison areas can match it there."
        ) % {"variables": ", ".join(p.get("variables", []))}
    if code == "weights_not_identified":
        return _(
            "Which comparison areas make up the synthetic control is not determined by the data: "
            "%(n)d clearly different combinations fit the years before the start almost as well, "
            "with effects from %(low)s to %(high)s. Read the effect with that range in mind."
        ) % {"n": p.get("alternatives", 0), "low": _n(p.get("low")), "high": _n(p.get("high"))}
    if code == "few_treated":
        return ngettext(
            "Only %(n)d treated area: the standard error comes from placebo tests, not from the spread "
            "between treated areas.",
            "Only %(n)d treated areas: the standard error comes from placebo tests, not from the spread "
            "between treated areas.",
            p.get("treated", 0),
        ) % {"n": p.get("treated", 0)}
    if code == "pretrend_weak":
        if p.get("treated", 1) > 1:
            return _(
                "The check of the years before the start compares the treated areas with %(n)d random "
                "groups of comparison areas put in their place: it only sounds an alarm when the treated "
                "areas' course before the start is more unusual than nearly all of theirs. Passing it is "
                "weak evidence that the trends were parallel."
            ) % {"n": p.get("draws", 0)}
        return _(
            "The check of the years before the start compares the treated area with %(n)d comparison "
            "areas put in its place: it only sounds an alarm when the treated area's course before the "
            "start is more unusual than nearly all of theirs. Passing it is weak evidence that the trends "
            "were parallel."
        ) % {"n": p.get("draws", 0)}
    if code == "pretrends":
        return _(
            "Before the start the treated and comparison areas already moved apart (test p = %(p)s): "
            "the assumption of parallel trends is doubtful."
        ) % {"p": _n(p.get("p_value"), 3)}
    if code == "dropped_units":
        return ngettext(
            "%(n)d area without a figure in every year is left out, as the method's reference software "
            "does.",
            "%(n)d areas without a figure in every year are left out, as the method's reference software "
            "does.",
            p.get("units", 0),
        ) % {"n": p.get("units", 0)}
    if code == "cell_left_out":
        return _("The effect of the areas that started in %(cohort)s could not be estimated for "
                 "%(period)s.") % {"cohort": p.get("cohort"), "period": p.get("period")}
    if code == "no_pretrend_test":
        return _("Only one year before the start: parallel trends cannot be checked.")
    return fallback


def honest_unavailable_text(honest: dict) -> str:
    """Why the bounds of Rambachan & Roth are missing, in plain words."""
    code = honest.get("code")
    if code == "few_treated":
        return _("with areas that started in different years, fewer than 5 treated areas are too few to "
                 "estimate how the yearly effects vary together")
    if code == "few_controls":
        return _("there are too few comparison areas to estimate how the yearly effects vary together")
    if code == "not_consecutive":
        return _("the years around the start are not consecutive")
    if code == "too_short":
        return _("at least three years before the start are needed")
    return honest.get("unavailable", "")


def note_text(note: dict) -> str:
    code = note.get("code")
    if code == "neighbours_left_out":
        return _("Left out because they border a treated area: %(areas)s.") % {
            "areas": ", ".join(note["areas"])
        }
    if code == "donors_incomplete":
        return ngettext(
            "%(n)d comparison area left out because a figure is missing in a year that is needed.",
            "%(n)d comparison areas left out because a figure is missing in a year that is needed.",
            note["count"],
        ) % {"n": note["count"]}
    if code == "same_area_left_out":
        return _("Left out as the same area under another CBS code (its figures run on through the "
                 "re-coding): %(areas)s.") % {"areas": ", ".join(note["areas"])}
    if code == "comparable_pool":
        return _("Comparison pool: the %(n)d areas most like the treated area in %(year)s.") % {
            "n": note["count"],
            "year": note["year"],
        }
    return str(note)


def summary(result: dict, *, outcome_label: str, decimals: int = 1) -> list[str]:
    """A few sentences a policy adviser can read aloud."""
    method = result["method"]
    treated = ", ".join(result.get("names", {}).get(c, c) for c in result["treated"])
    comparison = {
        "synth": _(
            "a synthetic control: a weighted mix of comparable areas that followed the treated area "
            "closely before the start"
        ),
        "sdid": _("a synthetic difference-in-differences comparison: weighted comparison areas and years"),
        "did": _("the average of the comparison areas, shifted to the treated level before the start"),
    }.get(method, method)
    estimate = result["estimate"]
    direction = _("higher") if estimate > 0 else _("lower")
    if isinstance(result["treatment_time"], dict):  # staggered starts
        names = result.get("names", {})
        starts = ", ".join(f"{names.get(c, c)} {y}" for c, y in sorted(result["treatment_time"].items(),
                                                                          key=lambda kv: (kv[1], kv[0])))
        sentences = [_(
            "After each area's start (%(starts)s), %(outcome)s was on average %(size)s %(direction)s than in "
            "areas that had not (yet) started."
        ) % {"starts": starts, "outcome": outcome_label, "size": format_number(abs(estimate), decimals),
             "direction": direction}]
    else:
        sentences = []
    sentences = sentences or [
        _(
            "From %(year)s on, %(outcome)s in %(treated)s was on average %(size)s %(direction)s than in "
            "%(comparison)s."
        )
        % {
            "year": result["treatment_time"],
            "outcome": outcome_label,
            "treated": treated,
            "size": format_number(abs(estimate), decimals),
            "direction": direction,
            "comparison": comparison,
        }
    ]
    if result.get("ci"):
        low, high = result["ci"]
        sentences.append(
            _("The 95%% interval runs from %(low)s to %(high)s.")
            % {"low": format_number(low, decimals), "high": format_number(high, decimals)}
        )
    placebo = result.get("placebo") or {}
    if method == "synth" and placebo.get("p_value") is not None:
        sentences.append(
            _(
                "Of %(n)d comparison areas treated as if they had the approach, %(k)d show a break "
                "at least as large (placebo p = %(p)s)."
            )
            % {"n": placebo["units"], "k": placebo["rank"] - 1, "p": format_number(placebo["p_value"], 2)}
        )
    sentences.append(evidence_text(result))
    if result["warnings"]:
        sentences.append(
            ngettext(
                "Read the warning below before you use this figure.",
                "Read the %(n)d warnings below before you use this figure.",
                len(result["warnings"]),
            )
            % {"n": len(result["warnings"])}
        )
    return sentences
