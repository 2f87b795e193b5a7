"""Reading the network: the ties an organisation sees, and the network of an area on a date for
wijkinzicht.analysis.network."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from wijkinzicht.analysis import network as analysis
from wijkinzicht.core.tenancy import organisation_ids_for

from .constants import TieAction
from .models import Party, Tie


def ties_for_user(*, user) -> QuerySet[Tie]:
    """The ties of the user's organisations: both ends see a declared tie."""
    ids = organisation_ids_for(user)
    return Tie.objects.filter(
        Q(source__organisation_id__in=ids) | Q(target__organisation_id__in=ids)
    ).select_related("source", "target", "declared_by")


def network_at(*, area=None, at: dt.date | None = None, include_disputed: bool = False) -> analysis.Network:
    """The parties serving an area (all parties without one) and their ties active on `at`, as the
    analysis reads them. Disputed ties are left out unless asked for (the page shows them apart);
    merged parties are represented by the party they were merged into."""
    parties = Party.objects.filter(merged_into=None)
    if area is not None:
        parties = parties.filter(areas=area)
    parties = list(parties.distinct())
    ids = {p.pk for p in parties}
    ties = Tie.objects.filter(source_id__in=ids, target_id__in=ids).prefetch_related("events")
    if at is not None:
        ties = ties.filter(since__lte=at).filter(Q(until__isnull=True) | Q(until__gt=at))
    out = []
    for tie in ties:
        answers = [
            e.action for e in tie.events.all() if e.action in (TieAction.CONFIRMED, TieAction.DISPUTED)
        ]
        if answers and answers[-1] == TieAction.DISPUTED and not include_disputed:
            continue
        out.append(
            analysis.Tie(
                str(tie.source_id),
                str(tie.target_id),
                float(tie.strength),
                tie.kind,
                tie.directed,
                tie.since,
                tie.until,
            )
        )
    return analysis.Network([analysis.Party(str(p.pk), p.name, p.is_formal, p.kind) for p in parties], out)
