"""The instruments a measurement can use, seen from the product: their questions for the form,
how answers are checked and scored, which parts an indicator can follow, and which direction is
better. The scoring itself is analysis.instruments (pure); this module only adapts it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkinzicht.analysis.instruments import (
    DJG6,
    DJG11,
    PARTICIPATIELADDER,
    ZRM,
    AnswerError,
    DefinitionError,
    Instrument,
    LevelError,
    LevelInstrument,
    LikertScale,
    answer_code,
    score,
)
from wijkinzicht.analysis.instruments.answers import ANSWER_WORDS, MISSING
from wijkinzicht.analysis.instruments.djg import item_points

MONITORING_NOTE = gettext_lazy(
    "These instruments are for monitoring groups and for the conversation with a resident, "
    "not for diagnosing a person."
)


class MeasurementError(ValueError):
    """Answers that the instrument cannot take; the message names the item."""


@dataclass
class Question:
    key: str  # the answer's key in Measurement.answers and the form field name
    text: str
    choices: list[tuple[str, str]]  # (value, label); "" = not answered


@dataclass
class Spec:
    key: str
    name: str
    questions: list[Question]
    parts: list[tuple[str, str]]  # (part key, label) an indicator can follow besides the total
    has_total: bool
    higher_is_better: bool
    source: str
    licence: str
    missing_rule: str
    scorer: object = field(repr=False, default=None)

    def score(self, answers: dict[str, str]) -> tuple[float | None, dict[str, float | None], str]:
        """(total, parts, category) for answers {question key: value}; MeasurementError for a value
        that is not one of the question's choices."""
        clean = {}
        for q in self.questions:
            value = (answers.get(q.key) or "").strip()
            allowed = {v for v, _label in q.choices}
            if value and value not in allowed and not isinstance(self.scorer, Instrument):
                raise MeasurementError(
                    _("%(item)s: “%(value)s” is not one of the answers.")
                    % {"item": q.text, "value": value[:40]}
                )
            clean[q.key] = value
        scorer = self.scorer
        if isinstance(scorer, Instrument):
            try:
                result = score(scorer, {int(k.split("_")[1]): v for k, v in clean.items()})
            except AnswerError as exc:
                raise MeasurementError(
                    _("“%(value)s” is not an answer (%(words)s, or empty).")
                    % {"value": str(exc)[:40], "words": ", ".join(ANSWER_WORDS)}
                ) from None
            parts = {"emotional": result["emotional"], "social": result["social"]}
            return result["total"], parts, result["category"] or ""
        if isinstance(scorer, LevelInstrument):
            levels = {}
            for column, _label in scorer.domains:
                try:
                    levels[column] = scorer.level(clean.get(column)) if clean.get(column) else None
                except LevelError:
                    raise MeasurementError(_("%(item)s: not a level.") % {"item": column}) from None
            if scorer is PARTICIPATIELADDER:
                rung = levels["trede"]
                return rung, {}, scorer.levels[rung - 1] if rung else ""
            return None, levels, ""
        # custom Likert questionnaire
        row = [[float(clean[k]) if clean.get(k) else math.nan for k in scorer.items]]
        scores = scorer.score(row)
        parts = {name: (None if math.isnan(v[0]) else round(float(v[0]), 4)) for name, v in scores.items()}
        if not scorer.subscales:
            return parts.pop("totaal"), {}, ""
        return None, parts, ""


def _djg(instrument: Instrument) -> Spec:
    choices = [("", _("no answer")), *[(w, w) for w in ANSWER_WORDS]]
    return Spec(
        key=instrument.key,
        name=instrument.name,
        questions=[Question(f"djg_{i.number}", f"{i.number}. {i.text}", choices) for i in instrument.items],
        parts=[("emotional", _("emotional loneliness")), ("social", _("social loneliness"))],
        has_total=True,
        higher_is_better=False,
        source=instrument.source,
        licence=instrument.licence,
        missing_rule=instrument.missing_rule,
        scorer=instrument,
    )


def _levels(instrument: LevelInstrument) -> Spec:
    choices = [
        ("", _("no answer")),
        *[(str(k), f"{k} {label}") for k, label in enumerate(instrument.levels, 1)],
    ]
    ladder = instrument is PARTICIPATIELADDER
    return Spec(
        key=instrument.key,
        name=instrument.name,
        questions=[Question(column, label, choices) for column, label in instrument.domains],
        parts=[] if ladder else list(instrument.domains),
        has_total=ladder,
        higher_is_better=True,
        source=instrument.source,
        licence=instrument.licence,
        missing_rule=_("An unanswered domain is missing; there is no total.")
        if not ladder
        else _("Missing when the rung is not given."),
        scorer=instrument,
    )


def likert_scale(definition: dict, key: str = "q", name: str = "") -> LikertScale:
    """The LikertScale of a stored questionnaire definition; DefinitionError when it cannot be scored."""
    try:
        items = [str(i["key"]) for i in definition["items"]]
        return LikertScale(
            key=key,
            name=name,
            items=tuple(items),
            lowest=int(definition.get("lowest", 1)),
            highest=int(definition.get("highest", 5)),
            reverse=frozenset(str(k) for k in definition.get("reverse", [])),
            subscales={
                str(n): tuple(str(k) for k in m) for n, m in (definition.get("subscales") or {}).items()
            },
            method=str(definition.get("method", "mean")),
            min_answered=int(definition.get("min_answered", 1)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, DefinitionError):
            raise
        raise DefinitionError(_("The definition is incomplete: %(error)s") % {"error": exc}) from None


def _questionnaire(q) -> Spec:
    scale = likert_scale(q.definition, q.key, q.name)
    texts = {str(i["key"]): str(i.get("text") or i["key"]) for i in q.definition["items"]}
    choices = [("", _("no answer")), *[(str(v), str(v)) for v in range(scale.lowest, scale.highest + 1)]]
    return Spec(
        key=q.key,
        name=q.name,
        questions=[Question(k, texts[k], choices) for k in scale.items],
        parts=[(n, n) for n in scale.subscales],
        has_total=not scale.subscales,
        higher_is_better=bool(q.definition.get("higher_is_better", True)),
        source=_("Defined by %(organisation)s.") % {"organisation": q.organisation},
        licence="",
        missing_rule=_("A scale needs at least %(n)d answered items; %(method)s of the answered items.")
        % {"n": scale.min_answered, "method": _("mean") if scale.method == "mean" else _("prorated sum")},
        scorer=scale,
    )


BUILT_IN = ("djg6", "djg11", "participatieladder", "zrm")


def spec(key: str, questionnaires=()) -> Spec:
    """The Spec of an instrument key; custom questionnaires ("q<id>") come from questionnaires."""
    if key in ("djg6", "djg11"):
        return _djg(DJG6 if key == "djg6" else DJG11)
    if key == "participatieladder":
        return _levels(PARTICIPATIELADDER)
    if key == "zrm":
        return _levels(ZRM)
    for q in questionnaires:
        if q.key == key:
            return _questionnaire(q)
    raise KeyError(key)


def choices(questionnaires=()) -> list[tuple[str, str]]:
    return [(k, spec(k).name) for k in BUILT_IN] + [(q.key, q.name) for q in questionnaires]


def _code_or_missing(text) -> int:
    try:
        return answer_code(text)
    except AnswerError:
        return MISSING


def reliability_from_items(key: str, answers: list[dict], questionnaires=()) -> float | None:
    """Cronbach's alpha (KR-20 for the 0/1 loneliness items) of the total from the item answers of a
    group; None when the instrument has one item or no total, or too few complete answers."""
    from wijkinzicht.analysis.instruments.reliability import cronbach_alpha

    s = spec(key, questionnaires)
    if not s.has_total or len(s.questions) < 2:
        return None
    if isinstance(s.scorer, Instrument):
        codes = [[_code_or_missing(a.get(q.key)) for q in s.questions] for a in answers]
        points = item_points(s.scorer, np.array(codes, dtype=np.int8))
        return cronbach_alpha(points[(points != MISSING).all(axis=1)])
    rows = []
    for a in answers:
        values = [a.get(q.key) for q in s.questions]
        if all(v not in (None, "") for v in values):
            rows.append([float(v) for v in values])
    return cronbach_alpha(rows)
