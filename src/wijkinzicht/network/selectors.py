"""Reading the network: the ties an organisation sees, and the network of an area on a date for
wijkinzicht.analysis.network."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from wijkinzicht.analysis import network as analysis
from wijkinzicht.areas.selectors import related_area_q
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties.selectors import served_areas

from .constants import TieAction
from .models import Party, Tie


def ties_for_user(*, user) -> QuerySet[Tie]:
    """The ties of the user's organisations: both ends see a declared tie, and so does the
    organisation that added an informal end (it speaks for it)."""
    ids = organisation_ids_for(user)
    return Tie.objects.filter(
        Q(source__organisation_id__in=ids)
        | Q(target__organisation_id__in=ids)
        | Q(source__organisation=None, source__added_by_id__in=ids)
        | Q(target__organisation=None, target__added_by_id__in=ids)
    ).select_related("source", "target", "declared_by")


def derived_ties() -> list[analysis.Tie]:
    """Ties that follow from records, between the organisations' parties (kept in step by
    signals.py): the lead organisation and each partner of an activity (from its first to the day
    after its last day), and every two partners of a programme, its owner included (over the
    programme's period)."""
    from wijkinzicht.activities.models import Activity
    from wijkinzicht.outcomes.models import Programme

    party_of = dict(Party.objects.exclude(organisation=None).values_list("organisation_id", "pk"))
    out: list[analysis.Tie] = []
    activities = Activity.objects.exclude(partners=None).prefetch_related("partners")
    programmes = Programme.objects.prefetch_related("partners")
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
    """The parties serving an area (area_parties; all parties without one) and their ties active on
    `at`, as the analysis reads them: the shared ties (shared_ties), disputed ones too when asked,
    and with `derived` the ties that follow from activities and programmes."""
    parties = list(area_parties(area=area) if area is not None else Party.objects.filter(merged_into=None))
    ties = shared_ties(parties=parties, derived=derived, include_disputed=include_disputed)
    return as_network(parties, ties).at(at)


# --- the network page and its exports ---------------------------------------------------------


def area_parties(*, area) -> QuerySet[Party]:
    """The parties serving the area: parties whose areas lie within it or contain it (a party of the
    whole gemeente serves each of its buurten). Merged parties are left out."""
    from wijkinzicht.areas.models import Area

    related = Area.objects.filter(related_area_q(area))
    return Party.objects.filter(merged_into=None, areas__in=related).distinct()


@dataclass
class ProgrammeScope:
    """A programme's network: its member organisations' parties, the ties that touch one of them and
    that a member vouches for (declared it, or confirmed it), and the parties those ties bring in.
    An outsider cannot bring itself, or others, into a programme's network by declaring a tie."""

    members: set[int]  # organisation ids, the owner included
    own: set[int]  # their parties
    parties: list[Party]

    def keeps(self, tie: Tie) -> bool:
        touches = tie.source_id in self.own or tie.target_id in self.own
        return touches and (tie.declared_by_id in self.members or tie.last_answer() == TieAction.CONFIRMED)

    def touches(self, tie: analysis.Tie) -> bool:
        return int(tie.source) in self.own or int(tie.target) in self.own


def programme_scope(*, programme) -> ProgrammeScope:
    members = {programme.organisation_id} | set(programme.partners.values_list("organisation_id", flat=True))
    own = set(Party.objects.filter(organisation_id__in=members).values_list("pk", flat=True))
    scope = ProgrammeScope(members, own, [])
    linked = set()
    ties = Tie.objects.filter(Q(source_id__in=own) | Q(target_id__in=own)).prefetch_related("events")
    for tie in ties:
        if not _disputed(tie) and scope.keeps(tie):  # a disputed tie must not even bring its party in
            linked |= {tie.source_id, tie.target_id}
    scope.parties = list(Party.objects.filter(merged_into=None, pk__in=own | linked))
    return scope


def _disputed(tie: Tie) -> bool:
    return tie.last_answer() == TieAction.DISPUTED


def shared_ties(
    *,
    parties,
    kinds=None,
    derived: bool = True,
    include_disputed: bool = False,
    keep: Callable[[Tie], bool] | None = None,
    keep_derived: Callable[[analysis.Tie], bool] | None = None,
) -> list[analysis.Tie]:
    """Every tie among the parties that the partners in the area see, at any date: declared ties
    that the other end did not dispute (unless asked), and (when asked) the ties derived from
    records; `kinds` None is every kind; `keep` and `keep_derived` narrow them further (a
    programme's network: ProgrammeScope). Only the fields that make the shared picture: ends, kind,
    direction, strength, period -- never the note, the declaring organisation or the answers
    (decision 0024)."""
    ids = {p.pk for p in parties}
    out = []
    ties = Tie.objects.filter(source_id__in=ids, target_id__in=ids).prefetch_related("events")
    if kinds is not None:
        ties = ties.filter(kind__in=kinds)
    for tie in ties:
        if (_disputed(tie) and not include_disputed) or (keep is not None and not keep(tie)):
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
    if derived and (kinds is None or "cooperation" in kinds):
        keys = {str(i) for i in ids}
        out += [
            t
            for t in derived_ties()
            if t.source in keys and t.target in keys and (keep_derived is None or keep_derived(t))
        ]
    return out


def as_network(parties, ties: list[analysis.Tie]) -> analysis.Network:
    return analysis.Network([analysis.Party(str(p.pk), p.name, p.is_formal, p.kind) for p in parties], ties)


def parties_spoken_for(*, organisation_ids) -> QuerySet[Party]:
    """The parties the organisations speak for: their own, and the informal parties they added."""
    return Party.objects.filter(merged_into=None).filter(
        Q(organisation_id__in=organisation_ids) | Q(organisation=None, added_by_id__in=organisation_ids)
    )


def parties_nearby(*, user) -> QuerySet[Party]:
    """The parties serving an area the user's organisations serve (a containing or contained one):
    the ones a tie of theirs is declared with."""
    from wijkinzicht.areas.models import Area

    q = Q(pk__in=[])
    for area in served_areas(user=user):
        q |= related_area_q(area)
    return Party.objects.filter(merged_into=None, areas__in=Area.objects.filter(q)).distinct()
