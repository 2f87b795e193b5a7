"""Writing signals: the personal-data check, theme suggestions, bundling, review for quoting, the
municipality's answers, imports, and training and rolling back the classifier."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkinzicht.analysis import pii, textclass
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties.constants import OrganisationKind

from .constants import (
    BUNDLE_GAP_DAYS,
    BUNDLE_SPAN_DAYS,
    RESPONSE_ROLES,
    REVIEW_ROLES,
    TEXT_MAX,
    TRAIN_MIN_SIGNALS,
    Novelty,
    ResponseKind,
    Urgency,
)
from .models import Bundle, BundleResponse, ClassifierVersion, Signal, Theme


def kind_label(kind: str) -> str:
    return {
        "name": _("name"),
        "bsn": _("BSN"),
        "phone": _("telephone number"),
        "email": _("e-mail address"),
        "postcode": _("postcode"),
        "address": _("address"),
        "iban": _("bank account"),
    }.get(kind, kind)


class SignalInputError(ValueError):
    """A signal, answer or import that cannot be saved; the message names the field (and row)."""

    def __init__(self, message: str, field: str = "", findings: list | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.findings = findings or []
        self.row = row


# ---- the personal-data check and suggestions -----------------------------------------------------


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Names of every area, lower case: deduce takes some for surnames ("Oude Westen"). Read once
    per process."""
    return frozenset(name.lower() for name in Area.objects.values_list("name", flat=True).distinct())


def check_text(text: str) -> list[pii.Finding]:
    return pii.find(text or "", places=_places())


def findings_message(findings: list[pii.Finding]) -> str:
    kinds = sorted({kind_label(f.kind) for f in findings})
    return _(
        "The text seems to contain personal data (%(kinds)s). Describe what you noticed in the "
        "neighbourhood without names, addresses or numbers."
    ) % {"kinds": ", ".join(kinds)}


_model_cache: dict = {"version": None, "model": None, "lexicon": None}
_model_lock = threading.Lock()


def active_classifier() -> tuple[textclass.Model, int | None]:
    """The active classifier version (loaded once per process and version), or, with none trained
    yet, the lexicon of the active themes (every suggestion then a question)."""
    active = (
        ClassifierVersion.objects.filter(is_active=True, status=ClassifierVersion.Status.READY)
        .values_list("version", flat=True)
        .first()
    )
    with _model_lock:
        if active is not None:
            if _model_cache["version"] != active:
                data = ClassifierVersion.objects.values_list("model", flat=True).get(version=active)
                _model_cache.update(version=active, model=textclass.Model.load(bytes(data)))
            return _model_cache["model"], active
    themes = list(Theme.objects.filter(is_active=True))
    lexicon = {t.key: t.keyword_list() for t in themes}
    return textclass.lexicon_only([t.key for t in themes], lexicon), None


@dataclass
class Suggested:
    theme: Theme
    confidence: float
    certain: bool


def suggest(text: str) -> tuple[list[Suggested], int | None]:
    """Theme suggestions for a text, active themes only, with the version that made them."""
    model, version = active_classifier()
    themes = {t.key: t for t in Theme.objects.filter(is_active=True)}
    out = [
        Suggested(themes[s.label], s.confidence, s.certain)
        for s in model.suggest(text, limit=4)
        if s.label in themes
    ]
    return out, version


# ---- signals -------------------------------------------------------------------------------------


def _organisation_for(user, organisation):
    if organisation is None:
        ids = sorted(organisation_ids_for(user))
        if len(ids) != 1:
            raise SignalInputError(_("Choose the organisation you report for."), "organisation")
        from wijkinzicht.parties.models import Organisation

        return Organisation.objects.get(pk=ids[0])
    if organisation.pk not in organisation_ids_for(user):
        raise PermissionDenied
    return organisation


def check_area(organisation, area: Area) -> None:
    """A signal is about a buurt or wijk the organisation works in (an area it serves, or one within it)."""
    if area.level not in ("buurt", "wijk"):
        raise SignalInputError(
            _("Choose a buurt or wijk, not a %(level)s.") % {"level": area.get_level_display()}, "area"
        )
    for served in organisation.areas_served.all():
        if served.pk == area.pk or area_selectors.lies_within(area=area, within=served):
            return
    raise SignalInputError(
        _("%(area)s is not an area your organisation works in.") % {"area": area.name}, "area"
    )


@dataclass
class SignalInput:
    area: Area
    observed_on: dt.date
    text: str
    themes: list[Theme]
    main_theme: Theme | None = None
    target_group: str = "iedereen"
    urgency: str = Urgency.NORMAL
    novelty: str = Novelty.NEW
    confirm_no_personal_data: bool = False
    suggestions: list = field(default_factory=list)
    classifier_version: int | None = None


def validate(organisation, data: SignalInput) -> list[pii.Finding]:
    """Every rule a signal must meet, the personal-data check last; returns the findings a reporter
    declared not to be personal data (to keep with the signal)."""
    # what is checked is what is stored: full-width characters, look-alike spaces and dashes and
    # invisible characters made plain first (they hid numbers from the check)
    text = pii.clean(data.text or "").strip()
    data.text = text
    if not text:
        raise SignalInputError(_("Describe what you noticed."), "text")
    if len(text) > TEXT_MAX:
        raise SignalInputError(_("At most %(n)s characters.") % {"n": TEXT_MAX}, "text")
    if "\x00" in text:
        raise SignalInputError(_("The text contains a character that is not allowed."), "text")
    today = timezone.localdate()
    if data.observed_on > today:
        raise SignalInputError(_("The date lies in the future."), "observed_on")
    if data.observed_on < dt.date(2000, 1, 1):
        raise SignalInputError(_("The date lies before 2000."), "observed_on")
    check_area(organisation, data.area)
    if not data.themes:
        raise SignalInputError(_("Choose at least one theme."), "themes")
    if any(not t.is_active for t in data.themes):
        raise SignalInputError(_("A theme that is no longer in use was chosen."), "themes")
    if data.main_theme is not None and data.main_theme not in data.themes:
        raise SignalInputError(_("The main theme must be one of the chosen themes."), "main_theme")
    findings = check_text(text)
    if findings and not data.confirm_no_personal_data:
        raise SignalInputError(findings_message(findings), "text", findings)
    return findings


def _wijk_of(area: Area) -> Area:
    if area.level == "wijk":
        return area
    if area.parent_id and area.parent.level == "wijk":
        return area.parent
    wijk = Area.objects.filter(level="wijk", code="WK" + area.code[2:8]).first()
    return wijk or area


def bundle_signal(signal: Signal) -> Bundle:
    """Put a signal in the bundle of its main theme and wijk whose signals lie within
    BUNDLE_GAP_DAYS of it and began at most BUNDLE_SPAN_DAYS before it (and not after it by more than
    that), or start a new bundle (decision 0025)."""
    wijk = _wijk_of(signal.area)
    gap = dt.timedelta(days=BUNDLE_GAP_DAYS)
    span = dt.timedelta(days=BUNDLE_SPAN_DAYS)
    bundle = (
        Bundle.objects.select_for_update()
        .filter(
            theme=signal.main_theme,
            area=wijk,
            last_on__gte=signal.observed_on - gap,
            first_on__lte=signal.observed_on + gap,
            first_on__gte=signal.observed_on - span,
            last_on__lte=signal.observed_on + span,
        )
        .order_by("-last_on")
        .first()
    )
    if bundle is None:
        bundle = Bundle.objects.create(
            theme=signal.main_theme, area=wijk, first_on=signal.observed_on, last_on=signal.observed_on
        )
    else:
        bundle.first_on = min(bundle.first_on, signal.observed_on)
        bundle.last_on = max(bundle.last_on, signal.observed_on)
        bundle.save(update_fields=["first_on", "last_on", "updated_at"])
    signal.bundle = bundle
    signal.save(update_fields=["bundle"])
    return bundle


def _create(user, organisation, data: SignalInput, findings) -> Signal:
    themes = sorted(data.themes, key=lambda t: (t.order, t.key))
    signal = Signal.objects.create(
        organisation=organisation,
        reporter=user,
        area=data.area,
        observed_on=data.observed_on,
        text=data.text.strip(),
        main_theme=data.main_theme or themes[0],
        target_group=data.target_group,
        urgency=data.urgency,
        novelty=data.novelty,
        personal_data_flags=[f.as_dict() for f in findings],
        suggestions=data.suggestions,
        classifier_version=data.classifier_version,
    )
    signal.themes.set(themes)
    bundle_signal(signal)
    return signal


def signal_create(*, user, organisation, data: SignalInput) -> Signal:
    organisation = _organisation_for(user, organisation)
    findings = validate(organisation, data)
    with transaction.atomic():
        return _create(user, organisation, data, findings)


def may_review(*, user, signal: Signal) -> bool:
    return signal.organisation_id in organisation_ids_for(user, roles=set(REVIEW_ROLES))


def signal_review(*, user, signal: Signal, quotable: bool) -> Signal:
    """A coordinator of the reporting organisation marks the text as fit (or no longer fit) to quote."""
    if not may_review(user=user, signal=signal):
        raise PermissionDenied
    if quotable and not signal.shareable:
        raise SignalInputError(_("A text with kept personal-data findings is never quoted."), "quotable")
    if quotable and check_text(signal.text):
        raise SignalInputError(_("The text now shows personal data; it cannot be quoted."), "quotable")
    signal.quotable = quotable
    signal.reviewed_by = user
    signal.save(update_fields=["quotable", "reviewed_by", "updated_at"])
    return signal


# ---- answers of the municipality ------------------------------------------------------------------


def answering_organisations(*, user, bundle: Bundle):
    """The user's municipalities that serve the bundle's wijk, where the user may answer."""
    from wijkinzicht.parties.models import Organisation

    ids = organisation_ids_for(user, roles=set(RESPONSE_ROLES))
    return (
        Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.GEMEENTE)
        .filter(area_selectors.related_area_q(bundle.area, "areas_served__"))
        .distinct()
    )


def bundle_respond(*, user, bundle: Bundle, kind: str, text: str, organisation=None) -> BundleResponse:
    """Append the municipality's answer to a bundle. Earlier answers stay."""
    allowed = list(answering_organisations(user=user, bundle=bundle))
    if not allowed:
        raise PermissionDenied
    if organisation is None:
        organisation = allowed[0]
    elif organisation not in allowed:
        raise PermissionDenied
    if kind not in ResponseKind.values:
        raise SignalInputError(_("Choose an answer."), "kind")
    text = pii.clean(text or "").strip()
    if not text:
        raise SignalInputError(
            _("Say why nothing is done.")
            if kind == ResponseKind.NO_ACTION
            else _("Say what is done or what the answer means."),
            "text",
        )
    if len(text) > TEXT_MAX or "\x00" in text:
        raise SignalInputError(_("At most %(n)s characters.") % {"n": TEXT_MAX}, "text")
    findings = check_text(text)
    if findings:
        raise SignalInputError(findings_message(findings), "text", findings)
    return BundleResponse.objects.create(
        bundle=bundle, organisation=organisation, author=user, kind=kind, text=text
    )


# ---- the classifier ------------------------------------------------------------------------------


def may_train(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def training_data() -> tuple[list[str], list[list[str]]]:
    """The confirmed themes of every signal whose text carries no kept personal-data finding."""
    texts, labels = [], []
    rows = Signal.objects.filter(personal_data_flags=[]).prefetch_related("themes").order_by("pk")
    for signal in rows.iterator(chunk_size=2000):
        keys = sorted(t.key for t in signal.themes.all())
        if keys:
            texts.append(signal.text)
            labels.append(keys)
    return texts, labels


def classifier_train_request(*, user) -> ClassifierVersion:
    """Queue the training of a new version (a background job)."""
    if not may_train(user):
        raise PermissionDenied
    from .tasks import train_classifier

    with transaction.atomic():
        last = ClassifierVersion.objects.select_for_update().order_by("-version").first()
        version = ClassifierVersion.objects.create(version=(last.version + 1) if last else 1, created_by=user)
        job = train_classifier.enqueue(version_id=version.pk)
        version.job_id = str(job.id)
        version.save(update_fields=["job_id"])
    return version


def classifier_train(version: ClassifierVersion) -> ClassifierVersion:
    """Train (the job's work): a 5-fold evaluation for the report, then the model on all rows; the
    new version becomes the active one."""
    version.status = ClassifierVersion.Status.RUNNING
    version.save(update_fields=["status"])
    texts, labels = training_data()
    themes = {t.key: t for t in Theme.objects.all()}
    lexicon = {key: t.keyword_list() for key, t in themes.items()}
    try:
        if len(texts) < TRAIN_MIN_SIGNALS:
            raise textclass.TextClassError(
                _("%(n)s signals with confirmed themes; at least %(min)s are needed.")
                % {"n": len(texts), "min": TRAIN_MIN_SIGNALS}
            )
        report = textclass.evaluate(texts, labels, folds=5, lexicon=lexicon)
        model = textclass.train(texts, labels, lexicon=lexicon)
    except textclass.TextClassError as exc:
        version.status = ClassifierVersion.Status.FAILED
        version.error = str(exc)[:500]
        version.rows = len(texts)
        version.save(update_fields=["status", "error", "rows"])
        return version
    report["held_out"] = model.meta.get("held_out")
    report["thresholds"] = {label: float(t) for label, t in zip(model.labels, model.thresholds, strict=True)}
    report["top_features"] = {label: _public_features(model, label) for label in model.labels}
    with transaction.atomic():
        version.model = model.to_bytes()
        version.report = report
        version.rows = len(texts)
        version.status = ClassifierVersion.Status.READY
        ClassifierVersion.objects.filter(is_active=True).update(is_active=False)
        version.is_active = True
        version.save()
    return version


def _public_features(model: textclass.Model, label: str) -> list[str]:
    """The stems and lexicon entries that speak most for a theme, as words people can read; stems seen
    in fewer than five signals are left out (they could point at one text)."""
    n = model.meta.get("rows", 0)
    out = []
    for name, _weight in model.top_features(label, 60):
        if name.startswith("lexicon:"):
            out.append(name)  # shown as "(keyword list)" on the page
        elif name.startswith("w:"):
            idf = model.vectoriser.idf[model.vectoriser.vocabulary[name]]
            df = (1 + n) / pow(2.718281828459045, idf - 1) - 1
            if df >= 5:
                out.append(name[2:])
        if len(out) >= 10:
            break
    return out


def classifier_activate(*, user, version: ClassifierVersion) -> ClassifierVersion:
    """Make a ready version the active one (the one-click rollback)."""
    if not may_train(user):
        raise PermissionDenied
    if version.status != ClassifierVersion.Status.READY:
        raise SignalInputError(_("Only a version that finished training can be used."), "version")
    with transaction.atomic():
        ClassifierVersion.objects.filter(is_active=True).update(is_active=False)
        version.is_active = True
        version.save(update_fields=["is_active"])
    return version


def classifier_lexicon_only(*, user) -> None:
    """Stop using every trained version: the lexicon suggests again."""
    if not may_train(user):
        raise PermissionDenied
    ClassifierVersion.objects.filter(is_active=True).update(is_active=False)
