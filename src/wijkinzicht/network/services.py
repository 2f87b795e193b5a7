"""Writing parties and ties. Every change to a tie is appended to its events; nothing is deleted.

Who may do what: any member of an organisation with an editing role adds the informal parties it
works with, declares ties of its own organisation (one end must be its own party, or an informal
party it added), and answers --
confirms or disputes -- ties another organisation declared with it; a disputed tie stays, marked.
Merging two parties that turn out to be one moves every tie and keeps every event.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wijkinzicht.areas.selectors import lies_within
from wijkinzicht.core.personal_data import personal_data_in
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for, require_member
from wijkinzicht.parties.constants import FORMAL_KINDS, OrganisationKind

from .constants import DIRECTED_KINDS, EDIT_ROLES, MERGE_ROLES, TieAction, TieKind, TieOrigin
from .models import Party, Tie, TieEvent


class NetworkInputError(ValueError):
    """Input to fix; the message names the field (in the user's language), `field` its API name."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def party_for_organisation(organisation) -> Party:
    """The organisation's own party in the network (made on first use, kept in step with it)."""
    party, created = Party.objects.get_or_create(
        organisation=organisation, defaults={"name": organisation.name, "kind": organisation.kind}
    )
    if not created and (party.name, party.kind) != (organisation.name, organisation.kind):
        party.name, party.kind = organisation.name, organisation.kind
        party.save(update_fields=["name", "kind", "updated_at"])
    if created:
        party.areas.set(organisation.areas_served.all())
    return party


def party_create(
    *,
    user,
    organisation,
    name: str,
    kind: str,
    areas: Sequence = (),
    contact: str = "",
    description: str = "",
) -> Party:
    """An informal party the organisation works with (formal parties are the foundation's own
    organisations). Public fields only: personal data in them is refused."""
    require_member(user, organisation.id, roles=EDIT_ROLES)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise NetworkInputError(_("name: give the party's name (at most 200 characters)"), "name")
    if kind not in OrganisationKind.values or kind in FORMAL_KINDS:
        raise NetworkInputError(
            _("kind: choose an informal kind; formal parties are the organisations of the foundation"), "kind"
        )
    served = list(organisation.areas_served.all())
    for area in areas:
        if not any(area.pk == s.pk or lies_within(area=area, within=s) for s in served):
            raise NetworkInputError(
                _("areas: %(code)s is not an area your organisation serves, nor within one")
                % {"code": area.code},
                "areas",
            )
    for field, text in (("contact", contact), ("description", description)):
        found = personal_data_in(text or "")
        if found == "bsn":
            raise NetworkInputError(
                _("%(field)s: this looks like a BSN; it is public text") % {"field": field}, field
            )
    with transaction.atomic():
        party = Party.objects.create(
            name=name,
            kind=kind,
            added_by=organisation,
            contact=(contact or "")[:200],
            description=(description or "")[:2000],
        )
        party.areas.set(areas)
    return party


_WORDS = re.compile(r"[^\w]+")
_SKIP = {"de", "het", "een", "stichting", "vereniging", "van", "en", "the"}


def _key(name: str) -> str:
    return " ".join(w for w in _WORDS.split(name.lower()) if w and w not in _SKIP)


def likely_duplicates(party: Party, *, threshold: float = 0.85) -> list[Party]:
    """Other parties with a similar name (after dropping words like "stichting") in an area the
    party serves too (or without areas): candidates to merge."""
    key = _key(party.name)
    areas = set(party.areas.values_list("pk", flat=True))
    out = []
    for other in Party.objects.filter(merged_into=None).exclude(pk=party.pk).prefetch_related("areas"):
        theirs = {a.pk for a in other.areas.all()}
        if areas and theirs and not areas & theirs:
            continue
        if difflib.SequenceMatcher(None, key, _key(other.name)).ratio() >= threshold:
            out.append(other)
    return out


def _state(tie: Tie) -> dict:
    return {
        "source": tie.source_id,
        "target": tie.target_id,
        "kind": tie.kind,
        "directed": tie.directed,
        "strength": tie.strength,
        "since": tie.since.isoformat(),
        "until": tie.until.isoformat() if tie.until else None,
        "origin": tie.origin,
    }


def _event(tie: Tie, action: str, *, user=None, organisation=None, note: str = "") -> TieEvent:
    return TieEvent.objects.create(
        tie=tie,
        action=action,
        user=user,
        organisation=organisation,
        state=_state(tie),
        note=(note or "")[:500],
    )


def tie_declare(
    *,
    user,
    organisation,
    source: Party,
    target: Party,
    kind: str,
    since: dt.date,
    strength: int = 2,
    until: dt.date | None = None,
    areas: Sequence = (),
    directed: bool | None = None,
    note: str = "",
) -> Tie:
    """A tie of the user's organisation with another party (its own party is one end), or of an
    informal party the organisation added (informal parties have no users: the organisation that
    brought one into the network declares its ties for it, decision 0024)."""
    require_member(user, organisation.id, roles=EDIT_ROLES)
    own = party_for_organisation(organisation)
    stewarded = {
        p.pk for p in (source, target) if p.organisation_id is None and p.added_by_id == organisation.id
    }
    if own.pk not in (source.pk, target.pk) and not stewarded:
        raise TenancyError("a tie is declared by one of its ends")
    _check(source, target, kind, since, until, strength)
    _check_not_disputed(source, target, kind, since, until)
    with transaction.atomic():
        tie = Tie.objects.create(
            source=source,
            target=target,
            kind=kind,
            since=since,
            until=until,
            strength=strength,
            directed=kind in DIRECTED_KINDS if directed is None else directed,
            origin=TieOrigin.DECLARED,
            declared_by=organisation,
            note=(note or "")[:2000],
        )
        tie.areas.set(areas)
        _event(tie, TieAction.DECLARED, user=user, organisation=organisation)
    return tie


def _check(source, target, kind, since, until, strength) -> None:
    if source.pk == target.pk:
        raise NetworkInputError(_("target: a tie needs two different parties"), "target")
    if source.merged_into_id or target.merged_into_id:
        raise NetworkInputError(_("target: this party was merged into another; use that one"), "target")
    if kind not in TieKind.values:
        raise NetworkInputError(_("kind: choose one of the kinds of tie"), "kind")
    if until is not None and until <= since:
        raise NetworkInputError(_("until: the tie must end after it began"), "until")
    if not 1 <= int(strength) <= 3:
        raise NetworkInputError(_("strength: 1, 2 or 3"), "strength")


def _check_not_disputed(source, target, kind, since, until) -> None:
    """A tie of this kind between the two that the other party disputes, over an overlapping
    period, is not declared again around the dispute: end the disputed one first (the history keeps
    both), or talk it over and have it confirmed."""
    overlapping = (
        Tie.objects.filter(kind=kind)
        .filter(Q(source=source, target=target) | Q(source=target, target=source))
        .filter(Q(until__isnull=True) | Q(until__gt=since))
        .prefetch_related("events")
    )
    if until is not None:
        overlapping = overlapping.filter(since__lt=until)
    if any(tie.last_answer() == TieAction.DISPUTED for tie in overlapping):
        raise NetworkInputError(
            _("kind: the other party disputes a tie of this kind with you in this period; end that first"),
            "kind",
        )


def _speaks_for(party: Party, organisation_id: int | None) -> bool:
    """The organisation is this party, or added it (an informal party without users)."""
    return organisation_id is not None and (
        party.organisation_id == organisation_id
        or (party.organisation_id is None and party.added_by_id == organisation_id)
    )


def _other_end(tie: Tie) -> Party:
    """The end that did not declare the tie (the target when the declarer speaks for both)."""
    if _speaks_for(tie.target, tie.declared_by_id) and not _speaks_for(tie.source, tie.declared_by_id):
        return tie.source
    return tie.target


def may_answer(tie: Tie, organisation_id: int) -> bool:
    """The organisation speaks for the end that did not declare the tie (and did not declare it)."""
    other = _other_end(tie)
    return _speaks_for(other, organisation_id) and not _speaks_for(other, tie.declared_by_id)


def may_end(tie: Tie, organisation_id: int) -> bool:
    """The organisation speaks for one of the tie's ends."""
    return _speaks_for(tie.source, organisation_id) or _speaks_for(tie.target, organisation_id)


def tie_respond(*, user, organisation, tie: Tie, confirm: bool, note: str = "") -> TieEvent:
    """The other end (for an informal party: the organisation that added it) confirms or disputes a
    tie; a disputed tie stays, marked as disputed."""
    require_member(user, organisation.id, roles=EDIT_ROLES)
    if not may_answer(tie, organisation.id):
        raise TenancyError("only the other end answers a tie")
    return _event(
        tie,
        TieAction.CONFIRMED if confirm else TieAction.DISPUTED,
        user=user,
        organisation=organisation,
        note=note,
    )


def tie_end(*, user, organisation, tie: Tie, until: dt.date, note: str = "") -> Tie:
    """Either end records that the tie ended (first day without it); the tie stays in the history."""
    require_member(user, organisation.id, roles=EDIT_ROLES)
    if not may_end(tie, organisation.id):
        raise TenancyError("only an end of the tie ends it")
    if until <= tie.since:
        raise NetworkInputError(_("until: the tie must end after it began"), "until")
    with transaction.atomic():
        tie.until = until
        tie.save(update_fields=["until", "updated_at"])
        _event(tie, TieAction.ENDED, user=user, organisation=organisation, note=note)
    return tie


def tie_status(tie: Tie) -> str:
    """'confirmed', 'disputed' or 'unanswered' by the other end's last answer (for an informal end:
    the organisation that added it); 'one-sided' when nobody but the declarer speaks for the other
    end; 'derived' from records."""
    if tie.origin != TieOrigin.DECLARED:
        return "derived"
    other = _other_end(tie)
    if _speaks_for(other, tie.declared_by_id) or (
        other.organisation_id is None and other.added_by_id is None
    ):
        return "one-sided"  # nobody else speaks for the other end
    answer = tie.last_answer()
    if answer is None:
        return "unanswered"
    return "confirmed" if answer == TieAction.CONFIRMED else "disputed"


def may_merge(user, party: Party) -> bool:
    """A coordinator or administrator of the organisation that added the (informal) party."""
    return party.organisation_id is None and party.added_by_id in organisation_ids_for(
        user, roles=MERGE_ROLES
    )


def party_merge(*, user, keep: Party, duplicate: Party) -> Party:
    """`duplicate` turns out to be `keep`: its ties move to `keep` (each with an event), its areas
    are added, and it points at `keep` from now on. Only the organisation that added the duplicate
    merges it (may_merge); the events name that organisation."""
    if duplicate.organisation_id is not None:
        raise NetworkInputError(_("an organisation of the foundation is not merged into another party"))
    if not may_merge(user, duplicate):
        raise TenancyError("only the organisation that added a party merges it")
    organisation = duplicate.added_by
    if keep.pk == duplicate.pk or keep.merged_into_id or duplicate.merged_into_id:
        raise NetworkInputError(_("choose two different parties that have not been merged"))
    with transaction.atomic():
        for tie in Tie.objects.filter(source=duplicate) | Tie.objects.filter(target=duplicate):
            other = tie.target if tie.source_id == duplicate.pk else tie.source
            if other.pk == keep.pk:  # a tie between the two becomes no tie: ended, kept in the history
                if tie.until is None:
                    tie.until = max(dt.date.today(), tie.since + dt.timedelta(days=1))
                    tie.save(update_fields=["until", "updated_at"])
                _event(tie, TieAction.ENDED, user=user, organisation=organisation, note="merged parties")
                continue
            if tie.source_id == duplicate.pk:
                tie.source = keep
            else:
                tie.target = keep
            tie.save(update_fields=["source", "target", "updated_at"])
            _event(
                tie,
                TieAction.MERGED,
                user=user,
                organisation=organisation,
                note=f"{duplicate.name} -> {keep.name}",
            )
        keep.areas.add(*duplicate.areas.all())
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into", "updated_at"])
    return keep


def organisation_parties_sync() -> int:
    """Every organisation of the foundation has its party (idempotent); returns how many were made.
    Run before reading derived ties, so that a selector never writes."""
    from wijkinzicht.parties.models import Organisation

    have = set(Party.objects.exclude(organisation=None).values_list("organisation_id", flat=True))
    made = 0
    for organisation in Organisation.objects.exclude(pk__in=have):
        party_for_organisation(organisation)
        made += 1
    return made
