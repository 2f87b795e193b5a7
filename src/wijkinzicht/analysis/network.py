"""Who works with whom: the formal-informal collaboration network and who bridges it (issue 16).

Pure python-igraph and numpy, no Django. Ties are collaborations: every measure but brokerage
reads them undirected (a referral from A to B is a tie between A and B); brokerage reads their
direction, an undirected tie counting both ways, as R's sna does for a symmetric graph.

- degree, weighted degree (the sum of tie strengths), betweenness (unweighted, normalised as
  networkx's default: 2 / ((n-1)(n-2)) for an undirected graph), closeness (networkx's default:
  Wasserman-Faust's correction for unreachable parties, (r-1)/(n-1) * (r-1)/sum of distances, r the
  size of the party's component);
- components, isolates, density; communities by Leiden maximising modularity (seeded), and their
  modularity;
- Burt's constraint and effective size (unweighted, as networkx's defaults);
- the E-I index of formal against informal ties (Krackhardt & Stern): (E - I) / (E + I);
- Gould-Fernandez brokerage roles over the formal/informal partition exactly as sna::brokerage
  counts them (for every two-path i -> j -> k with no tie i -> k, broker j is a coordinator when all
  three are in one group, a representative when i and j share a group and k does not, a
  gatekeeper when j and k share one and i does not, an itinerant (consultant) when i and k share one
  and j does not, a liaison when all three differ), with sna's expected counts under a random
  graph of the same density and the z-scores;
- dependence: for each party whose removal disconnects formal-informal pairs (a cut vertex), how
  many pairs lose their only connection; and the ties that are the only link between a formal and
  an informal party's side (bridges);
- change between two dates.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")  # sna's column order
LEIDEN_SEED = 0


class NetworkError(ValueError):
    """Input the user must fix; the message names what and where."""


@dataclass
class Party:
    id: str
    name: str = ""
    formal: bool | None = None
    kind: str = ""


@dataclass
class Tie:
    source: str
    target: str
    weight: float = 1.0
    kind: str = ""
    directed: bool = False
    since: dt.date | None = None
    until: dt.date | None = None  # the tie ended on this day (exclusive)

    def active(self, at: dt.date | None) -> bool:
        if at is None:
            return True
        return (self.since is None or self.since <= at) and (self.until is None or at < self.until)


@dataclass
class Network:
    parties: list[Party]
    ties: list[Tie]
    index: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.index = {p.id: i for i, p in enumerate(self.parties)}
        for tie in self.ties:
            for end in (tie.source, tie.target):
                if end not in self.index:
                    raise NetworkError(f"tie {tie.source} - {tie.target}: party {end!r} is unknown")

    @classmethod
    def from_ties(cls, ties: Sequence[Tie], parties: Sequence[Party] = ()) -> Network:
        """The parties given, plus every party a tie names that is not among them."""
        known = {p.id: p for p in parties}
        for tie in ties:
            for end in (tie.source, tie.target):
                known.setdefault(end, Party(end))
        return cls(list(known.values()), list(ties))

    def at(self, date: dt.date | None) -> Network:
        """The network as it was on a date: every party, the ties active that day."""
        return Network(self.parties, [t for t in self.ties if t.active(date)])

    # --- the graphs the measures read ----------------------------------------------------------

    def undirected(self):
        """A simple undirected igraph graph: one edge per pair, weight the sum of its ties'."""
        import igraph as ig

        weights: dict[tuple[int, int], float] = {}
        for tie in self.ties:
            a, b = self.index[tie.source], self.index[tie.target]
            if a == b:
                continue
            key = (min(a, b), max(a, b))
            weights[key] = weights.get(key, 0.0) + float(tie.weight)
        graph = ig.Graph(n=len(self.parties), edges=list(weights), directed=False)
        graph.es["weight"] = list(weights.values())
        return graph

    def arcs(self) -> np.ndarray:
        """The directed adjacency matrix (booleans): a directed tie one way, an undirected both."""
        n = len(self.parties)
        adjacency = np.zeros((n, n), dtype=bool)
        for tie in self.ties:
            a, b = self.index[tie.source], self.index[tie.target]
            if a == b:
                continue
            adjacency[a, b] = True
            if not tie.directed:
                adjacency[b, a] = True
        return adjacency

    def groups(self) -> np.ndarray | None:
        """1 formal, 0 informal per party; None when not every party says which it is."""
        if any(p.formal is None for p in self.parties):
            return None
        return np.array([1 if p.formal else 0 for p in self.parties])


# --- measures ---------------------------------------------------------------------------------


def betweenness(graph) -> np.ndarray:
    n = graph.vcount()
    raw = np.array(graph.betweenness(directed=False), dtype=float)
    return raw * 2 / ((n - 1) * (n - 2)) if n > 2 else np.zeros(n)


def closeness(graph) -> np.ndarray:
    """networkx's closeness_centrality (wf_improved=True) on unweighted distances."""
    n = graph.vcount()
    out = np.zeros(n)
    if n <= 1:
        return out
    membership = np.array(graph.connected_components().membership)
    sizes = np.bincount(membership)
    within = np.array(graph.closeness(normalized=True, mode="all"), dtype=float)  # (r-1)/sum within
    for v in range(n):
        r = sizes[membership[v]]
        if r > 1 and math.isfinite(within[v]):
            out[v] = within[v] * (r - 1) / (n - 1)
    return out


def _adjacency(graph):
    """The unweighted undirected adjacency of an igraph graph as a scipy sparse matrix."""
    from scipy import sparse

    n = graph.vcount()
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def constraint_and_effective_size(graph) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size on the unweighted graph (networkx's defaults; NaN
    for an isolate), with sparse matrices: p = A / degree, constraint_i = sum over neighbours j of
    (p_ij + (p^2)_ij)^2, effective size_i = degree_i - 2 t_i / degree_i, t_i the ties among i's
    neighbours."""
    from scipy import sparse

    adjacency = _adjacency(graph)
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    p = sparse.diags(inverse) @ adjacency
    through = (p + (p @ p).multiply(adjacency)).tocsr()  # only the neighbours' entries count
    constraint = np.asarray(through.multiply(through).sum(axis=1)).ravel()
    among = np.asarray((adjacency @ adjacency).multiply(adjacency).sum(axis=1)).ravel() / 2
    effective = degree - 2 * np.divide(among, degree, out=np.zeros_like(among), where=degree > 0)
    constraint[degree == 0] = np.nan
    effective[degree == 0] = np.nan
    return constraint, effective


def communities(graph) -> tuple[list[int], float]:
    """Leiden maximising modularity (weighted, seeded): membership and modularity."""
    import igraph as ig

    if graph.ecount() == 0:
        return list(range(graph.vcount())), 0.0
    ig.set_random_number_generator(random.Random(LEIDEN_SEED))
    try:
        partition = graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    membership = list(partition.membership)
    return membership, float(graph.modularity(membership, weights="weight"))


def layout(network: Network, *, size: float = 1000.0) -> list[tuple[float, float]]:
    """Positions for a picture (Fruchterman-Reingold, seeded), scaled into a size x size square.
    Computed on every tie the network ever had, so that parties keep their place when the picture
    is shown for another date."""
    import igraph as ig

    graph = network.undirected()
    n = graph.vcount()
    if n == 0:
        return []
    if n == 1:
        return [(size / 2, size / 2)]
    ig.set_random_number_generator(random.Random(LEIDEN_SEED))
    try:
        coords = graph.layout_fruchterman_reingold(seed=graph.layout_circle().coords, niter=500).coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return [((x - min(xs)) / span * size, (y - min(ys)) / span * size) for x, y in zip(xs, ys, strict=True)]


def ei_index(graph, groups: np.ndarray) -> float | None:
    """(ties across the formal/informal line - ties within) / all ties."""
    if graph.ecount() == 0:
        return None
    ends = np.array(graph.get_edgelist())
    across = int((groups[ends[:, 0]] != groups[ends[:, 1]]).sum())
    within = len(ends) - across
    return (across - within) / (across + within)


def brokerage(adjacency: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Gould-Fernandez role counts per party, sna::brokerage's columns (ROLES).

    For broker j and groups a (of the source i) and b (of the target k), the open two-paths
    i -> j -> k number in_a(j) out_b(j), less the pairs with i = k (ties both ways, a = b), less
    the closed ones, sum_k (A' D_a A)[j, k] A[j, k] [g_k = b]: sparse products instead of a loop
    over brokers."""
    from scipy import sparse

    labels = sorted(set(groups.tolist()))
    position = {g: k for k, g in enumerate(labels)}
    own = np.array([position[g] for g in groups.tolist()])
    onehot = np.eye(len(labels))[own]  # n x groups
    rows, cols = np.nonzero(adjacency)  # a dense 5,000 x 5,000 matrix as floats would be 200 MB
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=adjacency.shape)
    incoming = np.asarray(a.T @ onehot)  # j x a: sources of j per group
    outgoing = np.asarray(a @ onehot)  # j x b: targets of j per group
    mutual = np.asarray(a.multiply(a.T) @ onehot)  # j x group: parties both source and target of j
    # closed two-paths: for every tie j -> k, the common sources i of j and k, by i's group
    sources = a.T.tocsr()
    edges = a.tocoo()
    common = np.asarray(sources[edges.row].multiply(sources[edges.col]) @ onehot)  # ties x a
    n, m = len(groups), len(labels)
    closed = np.zeros((n, m, m))
    for ia in range(m):
        np.add.at(closed[:, ia, :], (edges.row, own[edges.col]), common[:, ia])
    counts = np.zeros((n, 5))
    for ia in range(m):
        for ib in range(m):
            paths = incoming[:, ia] * outgoing[:, ib] - closed[:, ia, ib]
            if ia == ib:
                paths = paths - mutual[:, ia]
            same_source, same_target = own == ia, own == ib
            role = np.where(
                same_source & same_target,
                0,
                np.where(same_source, 2, np.where(same_target, 3, np.where(ia == ib, 1, 4))),
            )
            np.add.at(counts, (np.arange(n), role), paths)
    return np.rint(counts)


def brokerage_expectation(adjacency: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sna::brokerage's expected counts and standard deviations per party (its five roles and the
    total) under a random graph of the same density and group sizes."""
    big_n = float(len(groups))
    d = adjacency.sum() / (big_n * (big_n - 1))
    labels = sorted(set(groups.tolist()))
    sizes = np.array([float((groups == g).sum()) for g in labels])
    base = d**2 * (1 - d)
    tail = d**3 * (1 - d) ** 3
    expected = np.zeros((len(labels), 6))
    variance = np.zeros((len(labels), 6))
    for i, n_i in enumerate(sizes):
        others = np.delete(sizes, i)
        expected[i, 0] = base * (n_i - 1) * (n_i - 2)
        variance[i, 0] = expected[i, 0] * (1 - base) + 2 * (n_i - 1) * (n_i - 2) * (n_i - 3) * tail
        expected[i, 1] = base * float((others * (others - 1)).sum())
        variance[i, 1] = (
            expected[i, 1] * (1 - base) + 2 * float((others * (others - 1) * (others - 2)).sum()) * tail
        )
        expected[i, 2] = base * (big_n - n_i) * (n_i - 1)
        variance[i, 2] = (
            expected[i, 2] * (1 - base)
            + 2
            * ((n_i - 1) * math.comb(int(big_n - n_i), 2) + (big_n - n_i) * math.comb(int(n_i - 1), 2))
            * tail
        )
        expected[i, 3], variance[i, 3] = expected[i, 2], variance[i, 2]
        expected[i, 4] = base * (float(np.outer(others, others).sum()) - float((others**2).sum()))
        variance[i, 4] = (
            expected[i, 4] * (1 - base)
            + 4 * float(sum(o * math.comb(int(big_n - o - n_i), 2) for o in others)) * tail
        )
        expected[i, 5] = base * (big_n - 1) * (big_n - 2)
        variance[i, 5] = expected[i, 5] * (1 - base) + 2 * (big_n - 1) * (big_n - 2) * (big_n - 3) * tail
    row = {g: k for k, g in enumerate(labels)}
    per_party = np.array([row[g] for g in groups.tolist()])
    return expected[per_party], np.sqrt(variance[per_party])


def dependence(graph, groups: np.ndarray) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
    """Parties and ties that are the only connection between formal and informal parties: for each
    cut vertex, the formal-informal pairs it disconnects; for each bridge, the pairs it does."""

    def pairs_connected(g) -> int:
        membership = np.array(g.connected_components().membership)
        total = 0
        for component in np.unique(membership):
            members = groups[membership == component]
            total += int((members == 1).sum()) * int((members == 0).sum())
        return total

    before = pairs_connected(graph)
    reach = np.array(graph.connected_components().membership)
    cut: dict[int, int] = {}
    for v in graph.articulation_points():
        g = graph.copy()
        g.delete_edges(g.incident(v))
        lost = before - pairs_connected(g)
        # the party itself no longer connects to anyone: its own pairs are not "through" it
        own = int(((groups != groups[v]) & (reach == reach[v])).sum())
        if lost - own > 0:
            cut[int(v)] = lost - own
    bridges = []
    for e in graph.bridges():
        g = graph.copy()
        g.delete_edges([e])
        lost = before - pairs_connected(g)
        if lost > 0:
            a, b = graph.es[e].tuple
            bridges.append((int(a), int(b), lost))
    return cut, bridges


# --- everything for one network ---------------------------------------------------------------


def metrics(network: Network) -> dict:
    """Every measure, per party and for the graph, and the findings in words (English; the product
    words them in Dutch from the same numbers)."""
    graph = network.undirected()
    n = graph.vcount()
    groups = network.groups()
    degree = np.array(graph.degree(), dtype=int)
    strength = np.array(graph.strength(weights="weight"), dtype=float) if n else np.zeros(0)
    between = betweenness(graph)
    close = closeness(graph)
    constraint, effective = constraint_and_effective_size(graph)
    membership, modularity = communities(graph)
    components = graph.connected_components() if n else []
    out_nodes = []
    roles = expected = sd = None
    if groups is not None:
        adjacency = network.arcs()
        roles = brokerage(adjacency, groups)
        expected, sd = brokerage_expectation(adjacency, groups)
    for i, party in enumerate(network.parties):
        node = {
            "id": party.id,
            "name": party.name,
            "formal": party.formal,
            "kind": party.kind,
            "degree": int(degree[i]),
            "weighted_degree": float(strength[i]),
            "betweenness": float(between[i]),
            "closeness": float(close[i]),
            "constraint": _finite(constraint[i]),
            "effective_size": _finite(effective[i]),
            "community": int(membership[i]),
        }
        if roles is not None:
            counts = dict(zip(ROLES, (int(c) for c in roles[i]), strict=True))
            counts["total"] = int(roles[i].sum())
            z = [
                (c - e) / s if s > 0 else None
                for c, e, s in zip([*roles[i], roles[i].sum()], expected[i], sd[i], strict=True)
            ]
            node["brokerage"] = counts
            node["brokerage_z"] = dict(zip([*ROLES, "total"], (_finite(v) for v in z), strict=True))
        out_nodes.append(node)
    possible = n * (n - 1) / 2
    graph_info = {
        "parties": n,
        "ties": graph.ecount(),
        "density": graph.ecount() / possible if possible else 0.0,
        "components": len(components),
        "isolates": [network.parties[i].id for i in range(n) if degree[i] == 0],
        "ei_index": ei_index(graph, groups) if groups is not None else None,
        "communities": len(set(membership)),
        "modularity": modularity,
    }
    findings = []
    if groups is not None:
        cut, bridges = dependence(graph, groups)
        graph_info["sole_brokers"] = {network.parties[v].id: pairs for v, pairs in sorted(cut.items())}
        graph_info["sole_ties"] = [
            {"between": [network.parties[a].id, network.parties[b].id], "pairs": lost}
            for a, b, lost in bridges
        ]
        findings = _findings(network, graph, groups, cut, roles)
    return {"nodes": out_nodes, "graph": graph_info, "findings": findings}


def _findings(network: Network, graph, groups, cut: dict[int, int], roles) -> list[dict]:
    parties = network.parties
    out = []
    alone = [
        parties[v].id
        for v in range(len(parties))
        if groups[v] == 0 and not any(groups[u] == 1 for u in graph.neighbors(v))
    ]
    out.append(
        {
            "question": "Which informal parties have no tie with a formal party?",
            "measure": "direct ties between an informal and a formal party",
            "answer": alone,
            "text": (
                "Every informal party has a tie with a formal party."
                if not alone
                else f"{len(alone)} informal part{'y has' if len(alone) == 1 else 'ies have'} no tie with "
                f"a formal party: {', '.join(_label(parties, a) for a in alone[:20])}."
            ),
        }
    )
    sole = sorted(cut.items(), key=lambda kv: -kv[1])
    out.append(
        {
            "question": "Who is the only bridge between formal and informal parties?",
            "measure": "cut vertices: parties whose departure disconnects formal-informal pairs",
            "answer": [{"party": parties[v].id, "pairs": pairs} for v, pairs in sole],
            "text": (
                "No single party's departure would cut formal and informal parties apart."
                if not sole
                else "; ".join(
                    f"without {_label(parties, parties[v].id)}, {pairs} formal-informal "
                    f"{'pairs lose their' if pairs != 1 else 'pair loses its'} only connection"
                    for v, pairs in sole[:10]
                )
                + "."
            ),
        }
    )
    across = roles[:, 1:5].sum(axis=1)
    top = [i for i in np.argsort(-across) if across[i] > 0][:5]
    out.append(
        {
            "question": "Who connects the formal and the informal world?",
            "measure": "Gould-Fernandez brokerage across the formal/informal line (representative, "
            "gatekeeper, itinerant, liaison)",
            "answer": [{"party": parties[i].id, "roles": int(across[i])} for i in top],
            "text": (
                "Nobody stands between a formal and an informal party."
                if not top
                else "Most between the two worlds: "
                + ", ".join(f"{_label(parties, parties[i].id)} ({int(across[i])})" for i in top)
                + "."
            ),
        }
    )
    return out


def change(network: Network, first: dt.date, second: dt.date) -> dict:
    """What changed between two dates: ties gained and lost, parties that became isolated, parties
    that started or stopped brokering between formal and informal."""

    def pairs(net: Network) -> set[tuple[str, str, str]]:
        return {(min(t.source, t.target), max(t.source, t.target), t.kind) for t in net.ties}

    a, b = network.at(first), network.at(second)
    before, after = pairs(a), pairs(b)
    degree_a = np.array(a.undirected().degree())
    degree_b = np.array(b.undirected().degree())
    out = {
        "gained": sorted(after - before),
        "lost": sorted(before - after),
        "isolated": [p.id for i, p in enumerate(network.parties) if degree_a[i] > 0 and degree_b[i] == 0],
    }
    groups = network.groups()
    if groups is not None:
        across_a = brokerage(a.arcs(), groups)[:, 1:5].sum(axis=1)
        across_b = brokerage(b.arcs(), groups)[:, 1:5].sum(axis=1)
        out["brokers_appeared"] = [
            p.id for i, p in enumerate(network.parties) if across_a[i] == 0 < across_b[i]
        ]
        out["brokers_left"] = [p.id for i, p in enumerate(network.parties) if across_a[i] > 0 == across_b[i]]
    return out


def _label(parties: Sequence[Party], pid: str) -> str:
    party = next((p for p in parties if p.id == pid), None)
    return party.name or pid if party else pid


def _finite(value) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def parse_date(text: str, *, where: str = "") -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NetworkError(f"{where}{text!r} is not a date (YYYY-MM-DD)") from None


def read_ties(rows: Iterable[dict], *, first_row: int = 2) -> list[Tie]:
    """TIES.csv rows: source, target and optionally weight, kind, directed, since, until."""
    ties = []
    for number, row in enumerate(rows, start=first_row):
        where = f"row {number}, "
        source, target = (str(row.get("source") or "").strip(), str(row.get("target") or "").strip())
        if not source or not target:
            raise NetworkError(f"{where}source and target are required")
        try:
            weight = float(row.get("weight") or 1)
        except ValueError:
            raise NetworkError(f"{where}column weight: {row.get('weight')!r} is not a number") from None
        if not math.isfinite(weight) or weight <= 0:
            raise NetworkError(f"{where}column weight: the strength must be a positive number")
        directed = str(row.get("directed") or "").strip().lower() in ("true", "1", "yes", "ja")
        since = parse_date(str(row.get("since") or ""), where=f"{where}column since: ")
        until = parse_date(str(row.get("until") or ""), where=f"{where}column until: ")
        if since and until and until <= since:
            raise NetworkError(f"{where}column until: the tie ends before it begins")
        ties.append(Tie(source, target, weight, str(row.get("kind") or "").strip(), directed, since, until))
    return ties


def read_parties(rows: Iterable[dict], *, first_row: int = 2) -> list[Party]:
    """NODES.csv rows: id and optionally formal (true/false), name, kind."""
    parties, seen = [], set()
    for number, row in enumerate(rows, start=first_row):
        pid = str(row.get("id") or "").strip()
        if not pid:
            raise NetworkError(f"row {number}, column id: empty")
        if pid in seen:
            raise NetworkError(f"row {number}, column id: {pid!r} appears twice")
        seen.add(pid)
        formal_text = str(row.get("formal") or "").strip().lower()
        formal = {
            "true": True,
            "1": True,
            "yes": True,
            "ja": True,
            "false": False,
            "0": False,
            "no": False,
            "nee": False,
            "": None,
        }.get(formal_text, "bad")
        if formal == "bad":
            raise NetworkError(f"row {number}, column formal: {formal_text!r} is not true or false")
        parties.append(
            Party(pid, str(row.get("name") or "").strip(), formal, str(row.get("kind") or "").strip())
        )
    return parties
