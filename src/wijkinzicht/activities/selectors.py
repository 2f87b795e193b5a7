"""Reads of the activities module. Records of residents (participants, attendance) and internal
activities are scoped to the user's organisations through core.tenancy; published activities
are public (the sociale kaart).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

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

_POSTCODE_PREFIX_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{0,2})\s*$")


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


def kaart_search(query: KaartQuery) -> QuerySet[Activity]:
    """Published activities matching every given criterion, by title."""
    qs = published_activities()
    if query.q:
        for word in query.q.lower().split()[:8]:
            qs = qs.filter(search_text__contains=word)
    if query.area:
        code = normalise_code(query.area)
        if code.startswith("GM"):
            qs = qs.filter(gemeente__code=code)
        else:
            digits = code[2:]
            # a buurt also finds what is offered to its whole wijk
            cond = (
                Q(areas__code__startswith="BU" + digits)
                | Q(areas__code=code)
                | Q(areas__code="WK" + digits[:6])
            )
            qs = qs.filter(cond).distinct()
    if query.postcode:
        m = _POSTCODE_PREFIX_RE.match(query.postcode)
        if m:
            qs = qs.filter(postcode__startswith=(m.group(1) + m.group(2).upper()))
    if query.theme:
        qs = qs.filter(themes__contains=f",{query.theme},")
    if query.target_group:
        qs = qs.filter(target_groups__contains=f",{query.target_group},")
    if query.weekday:
        qs = qs.filter(weekdays__contains=str(query.weekday))
    if query.free_only:
        qs = qs.filter(is_free=True)
    return qs.order_by("title", "id")


def kaart_areas() -> list[Area]:
    """Gemeenten and wijken that have published activities, for the area filter."""
    gemeente_ids = published_activities().values_list("gemeente_id", flat=True).distinct()
    gemeenten = list(Area.objects.filter(pk__in=gemeente_ids).order_by("name"))
    return gemeenten


def kaart_wijken(*, gemeente: Area) -> list[Area]:
    return list(Area.objects.filter(parent=gemeente, level="wijk").order_by("name"))


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
