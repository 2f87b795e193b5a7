"""Issue 16, item 3: the network measures against networkx (the test oracle) on well-known real
networks shipped with it -- Zachary's karate club, the Florentine families, Les Misérables, the
Davis southern women -- and Gould-Fernandez brokerage against sna::brokerage's definition."""

import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pytest

from wijkinzicht.analysis import network as net


def to_network(graph: nx.Graph, formal=None, weight=None) -> net.Network:
    parties = [net.Party(str(v), formal=None if formal is None else bool(formal(v))) for v in graph.nodes]
    ties = [
        net.Tie(str(a), str(b), float(d.get(weight, 1)) if weight else 1.0)
        for a, b, d in graph.edges(data=True)
    ]
    return net.Network(parties, ties)


def karate():
    g = nx.karate_club_graph()
    return g, to_network(g, formal=lambda v: g.nodes[v]["club"] == "Officer")


GRAPHS = {
    "karate": lambda: nx.karate_club_graph(),
    "florentine": lambda: nx.florentine_families_graph(),
    "les_miserables": lambda: nx.les_miserables_graph(),
    "davis": lambda: nx.davis_southern_women_graph(),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_centralities_equal_networkx(name):
    g = GRAPHS[name]()
    weight = "weight" if name == "les_miserables" else None
    network = to_network(g, weight=weight)
    out = {n["id"]: n for n in net.metrics(network)["nodes"]}
    between = nx.betweenness_centrality(g)
    close = nx.closeness_centrality(g)
    constraint = nx.constraint(g)
    effective = nx.effective_size(g)
    strength = dict(g.degree(weight=weight)) if weight else dict(g.degree())
    for v in g.nodes:
        node = out[str(v)]
        assert node["degree"] == g.degree(v)
        assert node["weighted_degree"] == pytest.approx(strength[v])
        assert node["betweenness"] == pytest.approx(between[v], abs=1e-12), v
        assert node["closeness"] == pytest.approx(close[v], abs=1e-12), v
        assert node["constraint"] == pytest.approx(constraint[v], abs=1e-12), v
        assert node["effective_size"] == pytest.approx(effective[v], abs=1e-12), v
    info = net.metrics(network)["graph"]
    assert info["density"] == pytest.approx(nx.density(g))
    assert info["components"] == nx.number_connected_components(g)


def test_a_graph_with_isolates_and_two_components():
    g = nx.florentine_families_graph()
    g.add_node("Loner")
    g.add_edge("A", "B")
    network = to_network(g)
    out = {n["id"]: n for n in net.metrics(network)["nodes"]}
    close = nx.closeness_centrality(g)
    for v in g.nodes:
        assert out[v]["closeness"] == pytest.approx(close[v], abs=1e-12)
    info = net.metrics(network)["graph"]
    assert info["isolates"] == ["Loner"] and info["components"] == 3
    assert out["Loner"]["constraint"] is None  # networkx: nan


def test_leiden_communities_reach_the_modularity_of_the_best_known_partitions():
    """Karate club: Leiden finds a partition of modularity 0.4198 (the maximum known is 0.4198);
    networkx's modularity of the same membership agrees."""
    g, network = karate()
    out = net.metrics(network)
    membership = {n["id"]: n["community"] for n in out["nodes"]}
    groups = [{v for v in g.nodes if membership[str(v)] == c} for c in set(membership.values())]
    # unweighted: networkx's karate club carries interaction counts as weights, not used here
    assert out["graph"]["modularity"] == pytest.approx(
        nx.community.modularity(g, groups, weight=None), abs=1e-12
    )
    assert out["graph"]["modularity"] >= 0.4197
    assert net.metrics(network)["graph"]["modularity"] == out["graph"]["modularity"]  # seeded


def test_ei_index_of_the_karate_clubs_split():
    g, network = karate()
    across = sum(1 for a, b in g.edges if g.nodes[a]["club"] != g.nodes[b]["club"])
    assert net.metrics(network)["graph"]["ei_index"] == pytest.approx((across - (78 - across)) / 78)


def brute_brokerage(adjacency, groups):
    """sna's brokerage_R loop, written out: for every ego i, alter j, alter's alter k."""
    n = len(groups)
    counts = np.zeros((n, 5))
    for i, j, k in itertools.permutations(range(n), 3):
        if adjacency[i, j] and adjacency[j, k] and not adjacency[i, k]:
            if groups[j] == groups[i]:
                counts[j, 0 if groups[j] == groups[k] else 2] += 1
            elif groups[j] == groups[k]:
                counts[j, 3] += 1
            elif groups[i] == groups[k]:
                counts[j, 1] += 1
            else:
                counts[j, 4] += 1
    return counts


def test_brokerage_counts_follow_sna_on_directed_and_undirected_ties():
    g, network = karate()
    groups = network.groups()
    assert np.array_equal(net.brokerage(network.arcs(), groups), brute_brokerage(network.arcs(), groups))
    # three groups and directed ties: every role occurs
    rng = np.random.default_rng(3)
    adjacency = rng.random((25, 25)) < 0.15
    np.fill_diagonal(adjacency, False)
    three = rng.integers(0, 3, 25)
    counts = net.brokerage(adjacency, three)
    assert np.array_equal(counts, brute_brokerage(adjacency, three))
    assert (counts.sum(axis=0) > 0).all()


def test_brokerage_expectations_are_the_mean_of_random_graphs():
    """sna's expected counts per broker: the average over Bernoulli random digraphs of the same
    density and group sizes (1,000 draws) lies within 4 standard errors of each."""
    rng = np.random.default_rng(5)
    groups = np.array([0] * 12 + [1] * 8 + [2] * 5)
    n, d = len(groups), 0.2
    totals = np.zeros((n, 5))
    draws = 1000
    for _ in range(draws):
        adjacency = rng.random((n, n)) < d
        np.fill_diagonal(adjacency, False)
        totals += net.brokerage(adjacency, groups)
    adjacency = np.ones((n, n), dtype=bool)  # any graph of density d: the formula reads only the density
    mask = rng.random((n, n)) < 0
    np.fill_diagonal(adjacency, False)
    k = int(round(d * n * (n - 1)))
    flat = np.flatnonzero(~np.eye(n, dtype=bool))
    mask.flat[rng.choice(flat, k, replace=False)] = True
    expected, sd = net.brokerage_expectation(mask, groups)
    mean = totals / draws
    for role in range(5):
        for group in (0, 1, 2):
            v = int(np.flatnonzero(groups == group)[0])
            standard_error = sd[v, role] / np.sqrt(draws)
            assert abs(mean[groups == group, role].mean() - expected[v, role]) < 4 * standard_error + 1e-9, (
                role,
                group,
            )


def test_dependence_finds_the_only_bridge_and_change_over_time():
    """A small neighbourhood: two informal parties reach the formal world only through a mosque."""
    parties = [
        net.Party("wijkteam", formal=True),
        net.Party("welzijn", formal=True),
        net.Party("moskee", formal=False),
        net.Party("buurtvaders", formal=False),
        net.Party("voetbal", formal=False),
    ]
    ties = [
        net.Tie("wijkteam", "welzijn", since=dt.date(2025, 1, 1)),
        net.Tie("welzijn", "moskee", since=dt.date(2025, 1, 1), until=dt.date(2026, 6, 1)),
        net.Tie("moskee", "buurtvaders", since=dt.date(2025, 1, 1)),
        net.Tie("moskee", "voetbal", since=dt.date(2025, 1, 1)),
    ]
    network = net.Network(parties, ties)
    out = net.metrics(network.at(dt.date(2026, 1, 1)))
    sole = out["graph"]["sole_brokers"]
    # without the mosque, buurtvaders and voetbal lose both formal parties: 4 pairs; without welzijn,
    # the wijkteam loses the three informal parties: 3 pairs
    assert sole == {"moskee": 4, "welzijn": 3}
    answer = next(f for f in out["findings"] if f["question"].startswith("Who is the only bridge"))
    assert answer["answer"][0] == {"party": "moskee", "pairs": 4}
    alone = next(f for f in out["findings"] if f["question"].startswith("Which informal"))
    assert alone["answer"] == ["buurtvaders", "voetbal"]
    moved = net.change(network, dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert moved["lost"] == [("moskee", "welzijn", "")]
    assert set(moved["brokers_left"]) == {"welzijn", "moskee"}  # nobody links the two worlds any more
