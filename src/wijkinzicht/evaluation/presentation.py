"""Turning a stored result into what the page, the PDF and the JSON export show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wijkinzicht.core.charts import Interval, Line, bar_chart, format_number, interval_chart, line_chart

from . import texts


@dataclass
class ResultView:
    method: str
    summary: list[str]
    evidence: str
    warnings: list[str]
    notes: list[str]
    rows: list[dict]  # per year: treated, comparison, gap
    trend_chart: str
    gap_chart: str
    weights: list[dict]
    predictors: list[dict] = field(default_factory=list)
    v: list[tuple[str, float]] = field(default_factory=list)
    placebo: dict | None = None
    placebo_kind: str = ""
    placebo_rows: list[dict] = field(default_factory=list)
    event_study: list[dict] = field(default_factory=list)
    leave_one_out: list[dict] = field(default_factory=list)
    alternatives: list[dict] = field(default_factory=list)
    in_time: dict | None = None
    estimate: float = 0.0
    se: float | None = None
    ci: list[float] | None = None
    decimals: int = 1
    event_chart: str = ""
    staggered: bool = False
    honest: dict | None = None  # Rambachan & Roth's bounds, with the charts
    honest_rm_chart: str = ""
    honest_sd_chart: str = ""


def result_view(result: dict, *, outcome) -> ResultView:
    decimals = max(1, getattr(outcome, "decimals", 1) or 1)
    names = result.get("names", {})
    periods = [int(p) for p in result["periods"]]
    treated = {int(k): v for k, v in (result.get("treated_path") or {}).items()}
    comparison = {int(k): v for k, v in (result.get("comparison_path") or {}).items()}
    rows = [
        {
            "year": y,
            "treated": treated.get(y),
            "comparison": comparison.get(y),
            "gap": (treated[y] - comparison[y]) if y in treated and y in comparison else None,
            "after": y >= _start(result),
        }
        for y in periods
    ] if treated else []  # staggered starts: no single start year to draw the two paths around
    label_treated = ", ".join(names.get(c, c) for c in result["treated"])
    label_comparison = {
        "synth": _("synthetic control"),
        "sdid": _("weighted comparison"),
        "did": _("comparison areas (shifted)"),
    }.get(result["method"], _("comparison"))
    trend = line_chart(
        title=_("%(outcome)s: treated and comparison") % {"outcome": outcome.label},
        lines=[Line(label_treated, treated), Line(label_comparison, comparison)],
        years=periods,
        decimals=decimals,
        chart_id="chart-trend",
        table_id="table-trend",
        marker_year=_start(result),
        marker_label=_("start"),
        zero=False,  # two levels compared over time: zoomed in, with the axis break marked
    )
    placebo = result.get("placebo")
    background, placebo_rows = [], []
    if placebo and placebo.get("lines"):
        treated_pre = result["details"].get("pre_rmspe") or 0
        scale = max((abs(v) for v in treated.values() if v is not None), default=1.0) or 1.0
        for line in placebo["lines"]:
            shown = line["pre_rmspe"] ** 2 <= 5 * treated_pre**2
            # a perfect fit before the start makes the ratio after/before explode (61.411.005.752.370,40):
            # below a millionth of the outcome's level the fit is "perfect" and the ratio is not shown
            perfect = (line["pre_rmspe"] or 0) <= 1e-6 * scale
            placebo_rows.append({**line, "name": names.get(line["unit"], line["unit"]), "shown": shown,
                                 "perfect_fit": perfect})
            if shown:
                background.append(Line(line["unit"], dict(zip(periods, line["gaps"], strict=False))))
        placebo_rows.sort(key=lambda r: (r["perfect_fit"], -(r["ratio"] or 0)))
    gap_chart = line_chart(
        title=_("Difference between treated and comparison"),
        lines=[Line(_("difference"), {r["year"]: r["gap"] for r in rows})],
        years=periods,
        decimals=decimals,
        chart_id="chart-gap",
        table_id="table-trend",
        background=background,
        background_label=_("placebos: other areas"),
        marker_year=_start(result),
        marker_label=_("start"),
    )
    weights = sorted(
        (
            {"code": c, "name": names.get(c, c), "weight": w}
            for c, w in (result.get("weights") or {}).items()
            if w >= 0.0005 and result["method"] != "did"
        ),
        key=lambda r: -r["weight"],
    )
    details = result.get("details", {})
    event_study = details.get("event_study") or []
    staggered = details.get("estimator") == "callaway-santanna"
    event_chart = interval_chart(
        title=_("%(outcome)s: effect per year relative to the start") % {"outcome": outcome.label},
        intervals=[_event_interval(e) for e in event_study],
        decimals=decimals, chart_id="chart-event", table_id="table-event", x_label=_("years from the start"),
        marker_x=-0.5, marker_label=_("start"),
    ) if event_study else ""
    honest = details.get("honest")
    if honest and not honest.get("original"):
        honest = dict(honest, unavailable=texts.honest_unavailable_text(honest))
    rm_chart = sd_chart = ""
    if honest and honest.get("original"):
        rm_chart = _honest_chart(
            honest, "relative_magnitudes", "mbar", 1, decimals, "chart-honest-rm", "table-honest-rm",
            _("Effect in the first year: robust sets when the change after the start may be up to M times "
              "the largest change before it"))
        sd_chart = _honest_chart(
            honest, "smoothness", "m", 2, decimals, "chart-honest-sd", "table-honest-sd",
            _("Effect in the first year: robust sets when the trend's slope may change by up to M per year"))
    return ResultView(
        method=result["method"],
        summary=texts.summary(result, outcome_label=outcome.label, decimals=decimals),
        evidence=texts.evidence_text(result),
        warnings=[texts.warning_text(w["code"], w.get("params"), w["message"]) for w in result["warnings"]]
        + _leave_one_out_warning(result, names, decimals),
        notes=[texts.note_text(n) for n in result.get("notes", [])],
        rows=rows,
        trend_chart=trend,
        gap_chart=gap_chart,
        weights=weights,
        predictors=details.get("predictors") or [],
        v=sorted((details.get("v") or {}).items(), key=lambda kv: -kv[1]),
        placebo=placebo,
        placebo_kind=texts.placebo_kind((placebo or {}).get("kind", "")),
        placebo_rows=placebo_rows,
        event_study=event_study,
        leave_one_out=[
            {**r, "without_name": names.get(r["without"], r["without"])}
            for r in details.get("leave_one_out") or []
        ],
        alternatives=[
            {**a, "named": {names.get(c, c): w for c, w in a["weights"].items()}}
            for a in details.get("alternatives") or []
        ],
        in_time=details.get("in_time_placebo"),
        estimate=result["estimate"],
        se=result.get("se"),
        ci=result.get("ci"),
        decimals=decimals,
        event_chart=event_chart,
        staggered=staggered,
        honest=honest,
        honest_rm_chart=rm_chart,
        honest_sd_chart=sd_chart,
    )


def _honest_chart(honest: dict, kind: str, size: str, size_decimals: int, decimals: int, chart_id: str,
                  table_id: str, title: str) -> str:
    """Robust sets against the size of one restriction, the usual interval first."""
    rows = honest[kind]
    original = honest["original"]
    step = (rows[-1][size] - rows[0][size]) / max(len(rows) - 1, 1) or 1.0
    usual = Interval(rows[0][size] - step, _("usual"), original["lb"], original["ub"], original["estimate"],
                     emphasis=True)
    robust = [Interval(r[size], format_number(r[size], size_decimals), r.get("lb"), r.get("ub"))
              for r in rows]
    return interval_chart(
        title=title,
        intervals=[usual, *robust],
        decimals=decimals, chart_id=chart_id, table_id=table_id, x_label=_("M"),
        legend=[(_("usual interval"), True), (_("robust set"), False)])


def _event_interval(row: dict) -> Interval:
    reference = bool(row.get("reference"))
    low, high = (None, None) if reference else row["ci"]
    return Interval(row["event_time"], str(row["event_time"]), low, high, row["estimate"], reference)


def _leave_one_out_warning(result: dict, names: dict, decimals: int) -> list[str]:
    """A warning when leaving out one comparison area moves the effect by more than the effect
    itself (the issue: 0,7 became 3,3 without a flag)."""
    estimate = result.get("estimate")
    runs = (result.get("details") or {}).get("leave_one_out") or []
    if estimate is None or not runs:
        return []
    worst = max(runs, key=lambda r: abs((r.get("estimate") or estimate) - estimate))
    swing = abs((worst.get("estimate") or estimate) - estimate)
    if swing <= abs(estimate):
        return []
    return [texts.leave_one_out_text(names.get(worst["without"], worst["without"]), worst["estimate"],
                                     estimate, decimals)]


def _start(result: dict) -> int:
    start = result["treatment_time"]
    return int(min(start.values()) if isinstance(start, dict) else start)


def export_data(evaluation, run) -> dict:
    """Everything needed to reproduce the run without Wijkinzicht's database."""
    spec = run.specification or {}
    panel = spec.get("panel") or {}
    outcome = spec.get("outcome", evaluation.outcome.key)
    rows = []
    for i, unit in enumerate(panel.get("units", [])):
        for j, year in enumerate(spec.get("periods", [])):
            row = {"unit": unit, "year": year}
            for key, matrix in panel.items():
                if key != "units":
                    row[key] = matrix[i][j]
            rows.append(row)
    command = None
    if spec:
        starts = spec.get("treated_starts") or {}
        times = (",".join(str(starts[c]) for c in spec["treated"]) if len(set(starts.values())) > 1
                 else spec["treatment_time"])
        command = (
            f"wijkinzicht evaluate {spec['method']} --panel panel.csv --unit unit --time year "
            f"--outcome {outcome} "
            f"--treated {','.join(spec['treated'])} --treatment-time {times}"
            + "".join(f" --predictor {p}" for p in spec.get("predictors", []))
            + f" --donors {','.join(spec['donors'])}"
            + (" --placebos" if spec.get("placebos") else "")
            + " --json"
        )
    return {
        "evaluation": {
            "id": evaluation.pk,
            "name": evaluation.name,
            "organisation": evaluation.organisation.name,
            "method": evaluation.method,
            "outcome": evaluation.outcome.key,
            "treated": sorted(a.code for a in evaluation.treated.all()),
            "treatment_year": evaluation.treatment_year,
            "treated_starts": evaluation.treated_starts,
            "programme": evaluation.programme_id,
            "predictors": evaluation.predictors,
            "donor_pool": evaluation.donor_pool,
        },
        "run": {
            "id": run.pk,
            "status": run.status,
            "error": run.error,
            "requested_at": run.requested_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "data_version": run.data_version,
        },
        "specification": {k: v for k, v in spec.items() if k != "panel"},
        "panel_rows": rows,
        "reproduce": {
            "steps": "Save panel_rows as panel.csv (columns unit, year, the outcome and any predictor "
            "indicators), then run the command.",
            "command": command,
        },
        "result": run.result,
        "source": "CBS Kerncijfers wijken en buurten, CC BY 4.0",
    }


SHORT = {"stayers": lambda: _("stayers"), "entrants": lambda: _("entrants"), "leavers": lambda: _("leavers"),
         "total": lambda: _("total")}


def composition_chart(result) -> str:
    """The three parts and the total change as bars; a hidden part draws no bar."""
    return bar_chart(
        title=_("Change in %(area)s from %(before)s to %(after)s, split by who stayed, came and left")
        % {"area": result.area, "before": result.before, "after": result.after},
        labels=[SHORT[r["key"]]() for r in result.rows], values=[r["value"] for r in result.rows],
        chart_id="chart-composition", table_id="table-composition", decimals=2)
