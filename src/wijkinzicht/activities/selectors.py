"""Reads of the activities module. Records of residents (participants, attendance) and internal
activities are scoped to the user's organisations through core.tenancy; published activities
are public (the sociale kaart).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Value

from wijkinzicht.analysis.text import query_terms
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.constants import normalise_code
from wijkinzicht.areas.models import Area
from wijkinzicht.core.tenancy import organisation_ids_for, scope_to_user

from .constants import REGISTER_ROLES
from .models import Activity, ImportBatch, Meeting, Participant


def activities_for_user(*, user) -> QuerySet[Activity]:
    """Activities led by one of the user's organisations (published or internal)."""
    return scope_to_user(Activity.objects.select_related("organisation", "gemeente"), user=user)


def activity_get(*, user, pk: int) -> Activity:
    """One activity of the user's organisations; Activity.DoesNotExist otherwise (shown as 404)."""
    return activities_for_user(user=user).prefetch_related("areas", "partners").get(pk=pk)


def can_register(*, user, organisation_id: int) -> bool:
    return organisation_id in organisation_ids_for(user, roles=REGISTER_ROLES)


def participants_for_user(*, user) -> QuerySet[Participant]:
    return scope_to_user(Participant.objects.select_related("home_buurt", "organisation"), user=user)


def participant_get(*, user, pk: int) -> Participant:
    return participants_for_user(user=user).get(pk=pk)


def meetings_for_user(*, user) -> QuerySet[Meeting]:
    return (
        scope_to_user(Meeting.objects.select_related("activity", "organisation"), user=user)
        .annotate(registered=Count("attendances"))
        .order_by("-date", "activity_id", "id")  # a GROUP BY drops the model's default ordering
    )


def meeting_get(*, user, pk: int) -> Meeting:
    return meetings_for_user(user=user).get(pk=pk)


def recent_participants(*, activity: Activity, meetings: int = 10, limit: int = 60) -> list[Participant]:
    """Participants of the activity's last meetings, most faithful first: the list a fieldworker ticks off."""
    last = list(
        Meeting.objects.filter(activity=activity).order_by("-date").values_list("pk", flat=True)[:meetings]
    )
    ids = (
        Participant.objects.filter(attendances__meeting_id__in=last)
        .annotate(n=Count("attendances"))
        .order_by("-n", "pseudonym")
        .values_list("pk", flat=True)[:limit]
    )
    return list(Participant.objects.filter(pk__in=list(ids)).order_by("pseudonym"))


def imports_for_user(*, user) -> QuerySet[ImportBatch]:
    return scope_to_user(ImportBatch.objects.select_related("organisation", "user"), user=user)


def import_get(*, user, pk: int) -> ImportBatch:
    return imports_for_user(user=user).get(pk=pk)


def may_see_rejected_rows(*, user, batch: ImportBatch) -> bool:
    """The values of rejected rows are for fixing them: the person who imported the file and the
    coordinators and administrators of the organisation (docs/privacy.md), not its analysts."""
    from wijkinzicht.parties.constants import Role

    if batch.organisation_id not in organisation_ids_for(user):
        return False
    managing = organisation_ids_for(user, roles={Role.COORDINATOR, Role.ADMINISTRATOR})
    return batch.user_id == user.pk or batch.organisation_id in managing


def rejected_rows_get(*, user, pk: int) -> ImportBatch:
    """An import whose rejected rows the user may download; DoesNotExist for any other (no leak)."""
    batch = import_get(user=user, pk=pk)
    if not batch.rejected_file or not may_see_rejected_rows(user=user, batch=batch):
        raise ImportBatch.DoesNotExist
    return batch


# ---------------------------------------------------------------- the public sociale kaart

_POSTCODE_PREFIX_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{0,2})\s*$")  # ASCII digits only


@dataclass
class KaartQuery:
    q: str = ""
    area: str = ""  # a CBS code: gemeente, wijk or buurt
    postcode: str = ""
    theme: str = ""
    target_group: str = ""
    weekday: int | None = None
    free_only: bool = False


def published_activities() -> QuerySet[Activity]:
    """Every published activity that has not ended: the open data behind the sociale kaart."""
    today = dt.date.today()
    return (
        Activity.objects.filter(is_published=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organisation", "gemeente")
    )


@dataclass
class Origin:
    """Where distances are measured from: the point of the postcode asked for, and how it was
    found ("postcode": an activity at that very postcode; "area": the middle of the activities in
    its four-digit area; "nearby": the nearest four-digit area with activities)."""

    postcode: str
    latitude: float
    longitude: float
    basis: str
    area: str = ""  # the four-digit area used

    def km_to(self, latitude: float | None, longitude: float | None) -> float | None:
        if latitude is None or longitude is None:
            return None
        lat1, lat2 = math.radians(self.latitude), math.radians(latitude)
        dlat, dlon = lat2 - lat1, math.radians(longitude - self.longitude)
        h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(h))


def postcode_origin(postcode: str) -> Origin | None:
    """The point of a Dutch postcode from the published activities' own postcodes and coordinates
    (no postcode register is shipped): the exact six-character postcode, else the middle of its
    four-digit area, else the nearest four-digit area (by number, within 20) that has activities."""
    m = _POSTCODE_PREFIX_RE.match(postcode or "")
    if not m:
        return None
    pc4, letters = m.group(1), m.group(2).upper()
    shown = f"{pc4} {letters}".strip()
    points: dict[str, list[tuple[str, float, float]]] = {}
    rows = published_activities().filter(latitude__isnull=False, longitude__isnull=False).exclude(
        postcode="").values_list("postcode", "latitude", "longitude")
    for code, lat, lon in rows:
        compact = re.sub(r"\s+", "", code).upper()
        if len(compact) >= 4 and compact[:4].isascii() and compact[:4].isdigit():
            points.setdefault(compact[:4], []).append((compact[4:6], lat, lon))
    if pc4 in points:
        exact = [(lat, lon) for rest, lat, lon in points[pc4] if letters and rest == letters]
        if exact:
            return Origin(shown, exact[0][0], exact[0][1], "postcode", pc4)
        return Origin(shown, *_middle(points[pc4]), "area", pc4)
    near = sorted((abs(int(k) - int(pc4)), k) for k in points if abs(int(k) - int(pc4)) <= 20)
    if near:
        return Origin(shown, *_middle(points[near[0][1]]), "nearby", near[0][1])
    return None


def _middle(points: list[tuple[str, float, float]]) -> tuple[float, float]:
    return sum(p[1] for p in points) / len(points), sum(p[2] for p in points) / len(points)


_RESOLVE = object()  # kaart_search: find the postcode's point itself


def kaart_search(query: KaartQuery, *, origin: Origin | None | object = _RESOLVE) -> QuerySet[Activity]:
    """Published activities matching every given criterion. Words match without accents or case,
    by their Dutch stem or a synonym (analysis.text.query_terms), anywhere in a word (Dutch
    compounds: "koffie" finds Koffieochtend). A postcode sorts by distance from it, nearest first
    (activities without coordinates last); without a postcode: by title."""
    qs = published_activities()
    for forms in query_terms(query.q):
        cond = Q()
        for form in sorted(forms):
            cond |= Q(search_text__contains=form)
        qs = qs.filter(cond)
    if query.area:
        code = normalise_code(query.area)
        if code.startswith("GM"):
            qs = qs.filter(gemeente__code=code)
        else:
            # the same area under its other codes too (Amsterdam's 2023 re-coding: an activity
            # linked to WK036300 is found under WK0363AE), and a buurt also finds what is offered to
            # its whole wijk
            cond = Q()
            for same in area_selectors.same_area_codes(code):
                digits = same[2:]
                cond |= (Q(areas__code__startswith="BU" + digits) | Q(areas__code=same)
                         | Q(areas__code="WK" + digits[:6]))
            qs = qs.filter(cond).distinct()
    if query.theme:
        qs = qs.filter(themes__contains=f",{query.theme},")
    if query.target_group:
        qs = qs.filter(target_groups__contains=f",{query.target_group},")
    if query.weekday:
        qs = qs.filter(weekdays__contains=str(query.weekday))
    if query.free_only:
        qs = qs.filter(is_free=True)
    if origin is _RESOLVE:  # a caller that shows the distances passes the point it found already
        origin = postcode_origin(query.postcode) if query.postcode else None
    if origin is not None:
        # squared distance on a local flat projection (no trigonometry in SQLite): east-west degrees
        # shrink with the cosine of the latitude
        shrink = math.cos(math.radians(origin.latitude))
        dx = (F("longitude") - Value(origin.longitude)) * Value(shrink)
        dy = F("latitude") - Value(origin.latitude)
        qs = qs.annotate(near=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        return qs.order_by(F("near").asc(nulls_last=True), "title", "id")
    return qs.order_by("title", "id")


def kaart_areas() -> list[Area]:
    """Gemeenten and wijken that have published activities, for the area filter."""
    gemeente_ids = published_activities().values_list("gemeente_id", flat=True).distinct()
    gemeenten = list(Area.objects.filter(pk__in=gemeente_ids).order_by("name"))
    return gemeenten


def kaart_wijken(*, gemeente: Area) -> list[Area]:
    """The wijken of the gemeente's newest division (not Amsterdam's wijken twice, under the old
    and the new code)."""
    wijken = Area.objects.filter(parent=gemeente, level="wijk")
    return list(area_selectors.newest_division(wijken).order_by("name"))


@dataclass
class WeekItem:
    """An activity of this week for a fieldworker's start page: the days it runs and the days a
    meeting was already registered."""

    activity: Activity
    days: list  # dates of this week on its weekdays (empty: no fixed days)
    registered: list  # dates of this week with a registered meeting


def week_for_user(*, user, today) -> list[WeekItem]:
    """The activities the user may register meetings for that run this week (by their weekdays,
    between their start and end date), or had a meeting registered this week; today's first."""
    monday = today - dt.timedelta(days=today.isoweekday() - 1)
    sunday = monday + dt.timedelta(days=6)
    ids = organisation_ids_for(user, roles=REGISTER_ROLES)
    activities = (Activity.objects.filter(organisation_id__in=ids)
                  .filter(Q(start_date__isnull=True) | Q(start_date__lte=sunday))
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=monday))
                  .select_related("organisation").order_by("title"))
    met: dict[int, list] = {}
    this_week = Meeting.objects.filter(activity__organisation_id__in=ids, date__range=(monday, sunday))
    for activity_id, day in this_week.values_list("activity_id", "date"):
        met.setdefault(activity_id, []).append(day)
    items = []
    for activity in activities:
        days = [monday + dt.timedelta(days=d - 1) for d in activity.weekday_list]
        days = [d for d in days if (activity.start_date is None or d >= activity.start_date)
                and (activity.end_date is None or d <= activity.end_date)]
        if days or activity.pk in met:
            items.append(WeekItem(activity, sorted(days), sorted(met.get(activity.pk, []))))
    items.sort(key=lambda i: (today not in i.days, min(i.days or [sunday]), i.activity.title))
    return items
