"""Reading the network: the ties an organisation sees, and the network of an area on a date for
wijkinzicht.analysis.network."""

from __future__ import annotations

import datetime as dt
import itertools

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


def derived_ties(*, area=None) -> list[analysis.Tie]:
    """Ties that follow from records, between the organisations' parties (made by
    services.organisation_parties_sync): the lead organisation and each partner of an activity
    (from its first to the day after its last day), and every two partners of a programme, its
    owner included (over the programme's period). Only activities and programmes in the area, when
    one is given."""
    from wijkinzicht.activities.models import Activity
    from wijkinzicht.outcomes.models import Programme

    party_of = dict(Party.objects.exclude(organisation=None).values_list("organisation_id", "pk"))
    out: list[analysis.Tie] = []
    activities = Activity.objects.exclude(partners=None).prefetch_related("partners")
    programmes = Programme.objects.prefetch_related("partners")
    if area is not None:
        activities = activities.filter(areas=area).distinct()
        programmes = programmes.filter(areas=area).distinct()
    for activity in activities:
        lead = party_of.get(activity.organisation_id)
        until = activity.end_date + dt.timedelta(days=1) if activity.end_date else None
        for partner in activity.partners.all():
            other = party_of.get(partner.pk)
            if lead and other and lead != other and activity.start_date:
                out.append(
                    analysis.Tie(str(lead), str(other), 1.0, "cooperation", False, activity.start_date, until)
                )
    for programme in programmes:
        members = sorted(
            {party_of.get(programme.organisation_id)}
            | {party_of.get(p.organisation_id) for p in programme.partners.all()} - {None}
        )
        for a, b in itertools.combinations(members, 2):
            out.append(
                analysis.Tie(
                    str(a),
                    str(b),
                    1.0,
                    "cooperation",
                    False,
                    programme.start_date,
                    programme.end_date + dt.timedelta(days=1),
                )
            )
    return out


def network_at(
    *, area=None, at: dt.date | None = None, include_disputed: bool = False, derived: bool = False
) -> analysis.Network:
    """The parties serving an area (all parties without one) and their ties active on `at`, as the
    analysis reads them. Disputed ties are left out unless asked for (the page shows them apart);
    merged parties are represented by the party they were merged into. `derived` adds the ties
    that follow from activities and programmes (derived_ties)."""
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
    if derived:
        keys = {str(p.pk) for p in parties}
        out += [t for t in derived_ties(area=area) if t.source in keys and t.target in keys and t.active(at)]
    return analysis.Network([analysis.Party(str(p.pk), p.name, p.is_formal, p.kind) for p in parties], out)
