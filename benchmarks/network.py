"""Network measures at scale (issue 16): 5,000 parties and 50,000 ties, all measures under 5 s;
betweenness beside igraph's own call and networkx's, on the same graph in the same run.

    .venv/bin/python benchmarks/network.py

The graph: a stochastic block model of 25 neighbourhoods of 200 parties (a fifth of them formal),
ties mostly within a neighbourhood (seed 1), so that it has structure, cut vertices and brokers."""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wijkinzicht.analysis import network as net  # noqa: E402


def graph(n_blocks=25, size=200, ties=50_000, seed=1) -> net.Network:
    rng = np.random.default_rng(seed)
    n = n_blocks * size
    parties = [net.Party(f"p{i}", formal=bool(rng.random() < 0.2)) for i in range(n)]
    pairs = set()
    while len(pairs) < ties:
        a = int(rng.integers(n))
        if rng.random() < 0.9:
            block = a // size
            b = int(block * size + rng.integers(size))
        else:
            b = int(rng.integers(n))
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return net.Network(parties, [net.Tie(f"p{a}", f"p{b}", float(rng.integers(1, 4))) for a, b in pairs])


def timed(fn, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    network = graph()
    print("# Network measures: 5,000 parties, 50,000 ties")
    t_all, out = timed(lambda: net.metrics(network), repeat=1)
    print(
        f"- all measures, brokerage, dependence and findings (wijkinzicht.analysis.network.metrics): {t_all:.2f} s"
        f" ({out['graph']['communities']} communities, modularity {out['graph']['modularity']:.3f}, "
        f"{len(out['graph']['sole_brokers'])} sole brokers)"
    )
    g = network.undirected()
    t_ours, ours = timed(lambda: net.betweenness(g))
    t_igraph, raw = timed(lambda: g.betweenness(directed=False))
    print("| betweenness (unweighted, normalised) | seconds |")
    print("|---|---|")
    print(f"| Wijkinzicht (igraph's C core, networkx's normalisation) | {t_ours:.2f} |")
    print(f"| igraph 1.0.0 Graph.betweenness | {t_igraph:.2f} |")
    try:
        import networkx as nx
    except ImportError:
        print("| networkx | not installed |")
        return
    h = nx.Graph()
    h.add_nodes_from(range(g.vcount()))
    h.add_edges_from(g.get_edgelist())
    t_nx, reference = timed(lambda: nx.betweenness_centrality(h), repeat=1)
    worst = max(abs(ours[v] - reference[v]) for v in range(g.vcount()))
    print(f"| networkx 3.6.1 betweenness_centrality | {t_nx:.2f} (largest difference to ours {worst:.1e}) |")


if __name__ == "__main__":
    main()
