"""The network page in words and tables: the preset questions answered in plain Dutch from the
numbers of wijkinzicht.analysis.network, the party and tie tables, the data for the picture, and
the CSV and GraphML exports -- all from one computed view, so that picture, table, findings and
files always say the same."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wijkinzicht.analysis import network as analysis
from wijkinzicht.core.charts import format_number
from wijkinzicht.core.exports import xml_text
from wijkinzicht.parties.constants import FORMAL_KINDS, OrganisationKind

from .constants import TieKind
from .selectors import as_network

ROLE_LABELS = {  # sna::brokerage's roles, in the words of the page
    "coordinator": gettext_lazy("coordinator"),
    "itinerant": gettext_lazy("consultant"),
    "representative": gettext_lazy("representative"),
    "gatekeeper": gettext_lazy("gatekeeper"),
    "liaison": gettext_lazy("liaison"),
}
CROSSING = ("representative", "gatekeeper", "itinerant", "liaison")  # roles across the formal/informal line
# colours: formal parties in blues, informal ones in oranges/greens; ties by kind. Each colour has
# 3:1 contrast against white (WCAG 1.4.11); shapes tell formal (square) from informal (round) too.
KIND_COLOURS = {  # hues far apart within each world (a newcomer could not tell four dark blues apart)
    "gemeente": "#154273",
    "welzijn": "#0072b2",
    "wijkteam": "#00796b",
    "corporatie": "#6a3d9a",
    "politie": "#37474f",
    "zorg": "#ad1457",
    "onderwijs": "#3949ab",
    "bewonersinitiatief": "#b35900",
    "vrijwilligersgroep": "#8d6e00",
    "zelforganisatie": "#a0421b",
    "sportvereniging": "#2e7d32",
    "ondernemers": "#5d4037",
    "overig_informeel": "#7b5e7b",
}
TIE_COLOURS = {
    "cooperation": "#4d4d4d",
    "referral": "#b3261e",
    "funding": "#1b6e3a",
    "consultation": "#5b3f99",
    "shared_location": "#00838f",
    "informal_contact": "#1f6fb2",
}
TIE_LINES = {
    "cooperation": "solid",
    "referral": "dashed",
    "funding": "solid",
    "consultation": "dotted",
    "shared_location": "solid",
    "informal_contact": "dotted",
}


def kind_label(kind: str) -> str:
    try:
        return str(OrganisationKind(kind).label)
    except ValueError:
        return kind


def tie_kind_label(kind: str) -> str:
    try:
        return str(TieKind(kind).label)
    except ValueError:
        return kind


def _date(value: dt.date) -> str:
    return date_format(value, "j F Y")


@dataclass
class Finding:
    question: str
    measure: str
    answer: str
    items: list[str] = field(default_factory=list)


@dataclass
class PartyRow:
    id: str
    name: str
    kind: str
    formal: bool
    degree: int
    betweenness: str
    closeness: str
    constraint: str
    effective_size: str
    community: int
    roles: dict[str, int]
    crossing: int


@dataclass
class TieRow:
    source: str
    target: str
    kinds: str
    strength: int
    directed: bool


@dataclass
class NetworkView:
    at: dt.date
    parties: list[PartyRow]
    ties: list[TieRow]
    findings: list[Finding]
    summary: list[tuple[str, str]]
    picture: dict
    months: list[str]
    month_index: int
    first_month: dt.date
    last_month: dt.date
    legend: list[dict] = field(default_factory=list)
    missing: str = ""  # what is missing for the formal/informal findings
    metrics: dict = field(default_factory=dict)


def _fmt(value, decimals: int = 2) -> str:
    return "–" if value is None else format_number(value, decimals)


def build(*, parties, ties: list[analysis.Tie], at: dt.date, since: dt.date) -> NetworkView:
    """Everything the page shows for the parties and their ties on `at`, with the change since
    `since`. `ties` holds every tie at any date (the picture keeps its layout across dates)."""
    parties = list(parties)
    everything = as_network(parties, ties)
    now = everything.at(at)
    metrics = analysis.metrics(now)
    names = {p.id: p.name for p in everything.parties}
    positions = analysis.layout(everything)

    per_pair: dict[tuple[str, str], dict] = {}
    for tie in now.ties:
        key = (min(tie.source, tie.target), max(tie.source, tie.target))
        entry = per_pair.setdefault(key, {"kinds": set(), "strength": 0.0, "arrows": set()})
        entry["kinds"].add(tie.kind)
        entry["strength"] += tie.weight
        if tie.directed:
            entry["arrows"].add((tie.source, tie.target))
    pairs = sorted(per_pair.items(), key=lambda kv: (names[kv[0][0]], names[kv[0][1]]))
    for _pair, entry in pairs:
        entry["kind"] = min(entry["kinds"])  # the picture draws a pair in the style of one kind
        entry["label"] = ", ".join(sorted(tie_kind_label(k) for k in entry["kinds"]))
        entry["one_way"] = len(entry["arrows"]) == 1  # both ways or none: no arrow

    neighbours: dict[str, list[str]] = {p.id: [] for p in everything.parties}
    for (a, b), entry in pairs:
        neighbours[a].append(f"{names[b]} ({entry['label']})")
        neighbours[b].append(f"{names[a]} ({entry['label']})")

    rows = []
    for node in metrics["nodes"]:
        roles = node.get("brokerage") or {}
        crossing = sum(roles.get(r, 0) for r in CROSSING)
        rows.append(
            PartyRow(
                id=node["id"],
                name=node["name"],
                kind=kind_label(node["kind"]),
                formal=bool(node["formal"]),
                degree=node["degree"],
                betweenness=_fmt(node["betweenness"]),
                closeness=_fmt(node["closeness"]),
                constraint=_fmt(node["constraint"]),
                effective_size=_fmt(node["effective_size"], 1),
                community=node["community"] + 1,
                roles={r: roles.get(r, 0) for r in ROLE_LABELS},
                crossing=crossing,
            )
        )
    rows.sort(key=lambda r: (-r.crossing, -r.degree, r.name))
    tie_rows = [
        TieRow(names[a], names[b], e["label"], int(e["strength"]), bool(e["arrows"])) for (a, b), e in pairs
    ]

    groups = now.groups()
    missing = ""
    if not parties:
        missing = _("No parties serve this area yet.")
    elif groups is None or len(set(groups.tolist())) < 2:
        missing = (
            _(
                "The questions about formal and informal parties need both: this network has only formal "
                "parties."
            )
            if groups is not None and groups.all()
            else _(
                "The questions about formal and informal parties need both: this network has only informal "
                "parties."
            )
        )
    findings = [] if missing else _findings(metrics, names, _worlds_meet(now))
    findings.append(_change_finding(everything, since, at, names))

    graph = metrics["graph"]
    summary = [
        (_("Parties"), str(graph["parties"])),
        (_("Pairs with a tie"), str(graph["ties"])),
        (_("Density"), _fmt(graph["density"]) if graph["parties"] > 1 else "–"),
        (_("Separate parts (components)"), str(graph["components"])),
        (_("Parties without any tie"), str(len(graph["isolates"]))),
        (_("Communities (Leiden)"), str(graph["communities"])),
        (_("E-I index formal/informal"), _fmt(graph["ei_index"])),
    ]

    by_id = {r.id: r for r in rows}
    picture = {
        "nodes": [
            {
                "id": p.id,
                "name": p.name,
                "formal": bool(p.formal),
                "kind": kind_label(p.kind),
                "colour": KIND_COLOURS.get(p.kind, "#555555"),
                "x": round(positions[i][0], 1),
                "y": round(positions[i][1], 1),
                "degree": by_id[p.id].degree,
                "roles": [[str(ROLE_LABELS[r]), by_id[p.id].roles[r]] for r in ROLE_LABELS],
                "ties": neighbours[p.id],
            }
            for i, p in enumerate(everything.parties)
        ],
        "edges": [
            {
                "source": a,
                "target": b,
                "kind": e["kind"],
                "label": e["label"],
                "colour": TIE_COLOURS.get(e["kind"], "#4d4d4d"),
                "line": TIE_LINES.get(e["kind"], "solid"),
                "strength": e["strength"],
                "width": min(1 + e["strength"], 6),
                "arrow": e["one_way"],
                "reverse": e["one_way"] and next(iter(e["arrows"]))[0] != a,
            }
            for (a, b), e in pairs
        ],
    }
    legend = [
        {
            "label": kind_label(k),
            "colour": KIND_COLOURS.get(k, "#555555"),
            "shape": "square" if k in FORMAL_KINDS else "circle",
        }
        for k in sorted({p.kind for p in parties}, key=lambda k: (k not in FORMAL_KINDS, kind_label(k)))
    ] + [
        {
            "label": tie_kind_label(k),
            "colour": TIE_COLOURS.get(k, "#4d4d4d"),
            "line": TIE_LINES.get(k, "solid"),
        }
        for k in sorted({e["kind"] for e in picture["edges"]}, key=tie_kind_label)
    ]
    first = min((t.since for t in ties if t.since), default=at)
    months = _months(min(first, at), max(dt.date.today(), at))
    month = dt.date(at.year, at.month, 1)
    index = max((i for i, m in enumerate(months) if m <= month), default=0)
    return NetworkView(
        first_month=months[0],
        last_month=months[-1],
        at=at,
        parties=rows,
        ties=tie_rows,
        findings=findings,
        summary=summary,
        picture=picture,
        months=[m.isoformat() for m in months],
        month_index=index,
        legend=legend,
        missing=missing,
        metrics=metrics,
    )


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], dt.date(first.year, first.month, 1)
    while m <= last and len(out) < 600:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _worlds_meet(network: analysis.Network) -> bool:
    """Whether any formal party reaches any informal one, directly or through others."""
    groups = network.groups()
    membership = network.undirected().connected_components().membership
    return any(
        len({int(groups[i]) for i, m in enumerate(membership) if m == c}) == 2 for c in set(membership)
    )


def _findings(metrics: dict, names: dict[str, str], meet: bool) -> list[Finding]:
    nodes = {n["id"]: n for n in metrics["nodes"]}
    raw = metrics["findings"]  # the analysis's answers, in its order
    out = []
    alone = raw[0]["answer"]
    out.append(
        Finding(
            _("Which informal parties have no tie with a formal party?"),
            _("Counted: direct ties between an informal and a formal party on this date."),
            _("Every informal party has a tie with a formal party.")
            if not alone
            else ngettext(
                "%(count)d informal party has no tie with a formal party:",
                "%(count)d informal parties have no tie with a formal party:",
                len(alone),
            )
            % {"count": len(alone)},
            [names[a] for a in alone],
        )
    )
    sole = raw[1]["answer"]
    out.append(
        Finding(
            _("Who is the only bridge between formal and informal parties?"),
            _(
                "A party is the only bridge when formal and informal parties are connected only through "
                "it (a cut vertex of the network); counted is how many formal–informal pairs would lose "
                "their only connection if it stopped."
            ),
            _("No formal party reaches an informal one, directly or through others: there is no bridge yet.")
            if not meet
            else _("No single party's departure would cut formal and informal parties apart.")
            if not sole
            else _("These parties are the only connection for some formal–informal pairs:"),
            [
                ngettext(
                    "without %(party)s, %(pairs)d formal–informal pair loses its only connection",
                    "without %(party)s, %(pairs)d formal–informal pairs lose their only connection",
                    s["pairs"],
                )
                % {"party": names[s["party"]], "pairs": s["pairs"]}
                for s in sole
            ],
        )
    )
    degree = {n["id"]: n["degree"] for n in metrics["nodes"]}
    # a party's only tie is its only link by definition: those are in the first answer, not here
    bridges = [b for b in metrics["graph"].get("sole_ties", []) if min(degree[p] for p in b["between"]) > 1]
    out.append(
        Finding(
            _("Which ties are the only link between the two worlds?"),
            _(
                "A tie is the only link (a bridge) when removing it disconnects formal from informal "
                "parties; counted is how many formal–informal pairs it connects alone (the only tie of a "
                "party with one tie is left out)."
            ),
            _("No formal party reaches an informal one, directly or through others: there is no link yet.")
            if not meet
            else _("No single tie is the only link between formal and informal parties.")
            if not bridges
            else _("These ties are the only link for some formal–informal pairs:"),
            [
                ngettext(
                    "%(a)s – %(b)s: %(pairs)d pair",
                    "%(a)s – %(b)s: %(pairs)d pairs",
                    b["pairs"],
                )
                % {"a": names[b["between"][0]], "b": names[b["between"][1]], "pairs": b["pairs"]}
                for b in bridges
            ],
        )
    )
    brokers = raw[2]["answer"]
    items = []
    for b in brokers:
        node = nodes[b["party"]]
        z = (node.get("brokerage_z") or {}).get("total")
        roles = node["brokerage"]
        parts = ", ".join(f"{ROLE_LABELS[r]} {roles[r]}" for r in CROSSING if roles[r])
        text = ngettext(
            "%(party)s: %(count)d time between the two worlds (%(roles)s)",
            "%(party)s: %(count)d times between the two worlds (%(roles)s)",
            b["roles"],
        ) % {
            "party": names[b["party"]],
            "count": b["roles"],
            "roles": parts,
        }
        if z is not None and z >= 2:
            text += " " + _("– clearly more than chance would give (z = %(z)s)") % {"z": format_number(z, 1)}
        items.append(text)
    out.append(
        Finding(
            _("Who connects the formal and the informal world?"),
            _(
                "Gould and Fernandez's brokerage roles: how often a party stands between two parties "
                "without a tie of their own, at least one of them from the other world (as "
                "representative, gatekeeper, consultant or liaison), each pair counted in both directions "
                "as R's sna::brokerage does for mutual ties; z compares the count with a random network of "
                "the same density (from 2 on: clearly more than chance)."
            ),
            _("Nobody stands between a formal and an informal party.")
            if not brokers
            else _("Most often between the two worlds:"),
            items,
        )
    )
    return out


def _change_finding(network: analysis.Network, since: dt.date, at: dt.date, names: dict[str, str]) -> Finding:
    question = _("What has changed since %(date)s?") % {"date": _date(since)}
    measure = _(
        "The ties on %(since)s compared with those on %(at)s: ties gained and lost, parties left "
        "without any tie, and parties that started or stopped standing between formal and informal."
    ) % {"since": _date(since), "at": _date(at)}
    if since >= at:
        return Finding(question, measure, _("Choose a comparison date before the date shown."))
    change = analysis.change(network, since, at)
    items = []
    for a, b, kind in change["gained"]:
        items.append(
            _("new tie: %(a)s – %(b)s (%(kind)s)")
            % {"a": names[a], "b": names[b], "kind": tie_kind_label(kind)}
        )
    for a, b, kind in change["lost"]:
        items.append(
            _("tie ended: %(a)s – %(b)s (%(kind)s)")
            % {"a": names[a], "b": names[b], "kind": tie_kind_label(kind)}
        )
    for p in change["isolated"]:
        items.append(_("no tie left: %(party)s") % {"party": names[p]})
    for p in change.get("brokers_appeared", []):
        items.append(_("now between formal and informal: %(party)s") % {"party": names[p]})
    for p in change.get("brokers_left", []):
        items.append(_("no longer between formal and informal: %(party)s") % {"party": names[p]})
    answer = (
        _("Nothing changed.")
        if not items
        else ngettext("%(count)d change:", "%(count)d changes:", len(items)) % {"count": len(items)}
    )
    return Finding(question, measure, answer, items)


# --- exports ------------------------------------------------------------------------------------


def parties_table(view: NetworkView) -> list[list]:
    """The party table as rows for core.exports (header first)."""
    header = [
        _("party"),
        _("kind"),
        _("formal"),
        _("ties"),
        _("weighted ties"),
        _("betweenness"),
        _("closeness"),
        _("constraint"),
        _("effective size"),
        _("community"),
        *[str(ROLE_LABELS[r]) for r in ROLE_LABELS],
        _("between the two worlds"),
    ]
    out: list[list] = [header]
    for node in view.metrics["nodes"]:
        roles = node.get("brokerage") or {}
        out.append(
            [
                node["name"],
                kind_label(node["kind"]),
                _("yes") if node["formal"] else _("no"),
                node["degree"],
                node["weighted_degree"],
                node["betweenness"],
                node["closeness"],
                node["constraint"],
                node["effective_size"],
                node["community"] + 1,
                *[roles.get(r, 0) for r in ROLE_LABELS],
                sum(roles.get(r, 0) for r in CROSSING),
            ]
        )
    return out


def ties_table(view: NetworkView) -> list[list]:
    out: list[list] = [[_("party"), _("party"), _("kinds"), _("strength"), _("directed")]]
    for t in view.ties:
        out.append([t.source, t.target, t.kinds, t.strength, _("yes") if t.directed else _("no")])
    return out


def graphml(view: NetworkView) -> bytes:
    """The network on the date as GraphML (Gephi, yEd, igraph, networkx read it), with the measures
    as node attributes and kind, strength and direction as edge attributes."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [
        ("name", "node", "string"),
        ("kind", "node", "string"),
        ("formal", "node", "boolean"),
        ("degree", "node", "int"),
        ("weighted_degree", "node", "double"),
        ("betweenness", "node", "double"),
        ("closeness", "node", "double"),
        ("constraint", "node", "double"),
        ("effective_size", "node", "double"),
        ("community", "node", "int"),
        *[(f"brokerage_{r}", "node", "int") for r in ROLE_LABELS],
        ("kinds", "edge", "string"),
        ("strength", "edge", "double"),
        ("directed", "edge", "boolean"),
    ]
    for name, domain, kind in keys:
        ET.SubElement(root, f"{{{ns}}}key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "G", "edgedefault": "undirected"})

    def data(parent, key, value):
        if value is None:
            return
        el = ET.SubElement(parent, f"{{{ns}}}data", {"key": key})
        el.text = ("true" if value else "false") if isinstance(value, bool) else xml_text(str(value))

    for node in view.metrics["nodes"]:
        el = ET.SubElement(graph, f"{{{ns}}}node", {"id": f"p{node['id']}"})
        data(el, "name", node["name"])
        data(el, "kind", node["kind"])
        data(el, "formal", bool(node["formal"]))
        for key in ("degree", "weighted_degree", "betweenness", "closeness", "constraint", "effective_size"):
            data(el, key, node[key])
        data(el, "community", node["community"] + 1)
        for r in ROLE_LABELS:
            data(el, f"brokerage_{r}", (node.get("brokerage") or {}).get(r))
    for i, edge in enumerate(view.picture["edges"]):
        # a pair whose ties point one way runs from the giver to the receiver, its "directed" data true
        # (an undirected graph with that attribute: networkx and igraph read no mixed graphs)
        ends = (edge["target"], edge["source"]) if edge["reverse"] else (edge["source"], edge["target"])
        el = ET.SubElement(
            graph, f"{{{ns}}}edge", {"id": f"e{i}", "source": f"p{ends[0]}", "target": f"p{ends[1]}"}
        )
        data(el, "kinds", edge["label"])
        data(el, "strength", edge["strength"])
        data(el, "directed", edge["arrow"])
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
