"""Issue 16, item 5: `wijkinzicht network metrics` on plain files, without Django."""

import json
import subprocess
import sys

import networkx as nx
import pytest

TIES = """source,target,kind,since,until
wijkteam,welzijn,cooperation,2025-01-01,
welzijn,moskee,informal contact,2025-01-01,2026-06-01
moskee,buurtvaders,cooperation,2025-01-01,
moskee,voetbal,shared location,2025-01-01,
"""
NODES = """id,formal,name
wijkteam,true,Wijkteam Centrum
welzijn,true,Welzijn Oost
moskee,false,Moskee Al Fath
buurtvaders,false,Buurtvaders
voetbal,false,VV De Meer
"""


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "wijkinzicht.cli", "network", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_json_has_the_documented_shape_and_the_date_filter_works(tmp_path):
    (tmp_path / "ties.csv").write_text(TIES)
    (tmp_path / "nodes.csv").write_text(NODES)
    done = run(
        "metrics",
        "--ties",
        str(tmp_path / "ties.csv"),
        "--nodes",
        str(tmp_path / "nodes.csv"),
        "--at",
        "2026-01-01",
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    node = next(n for n in out["nodes"] if n["id"] == "moskee")
    for key in (
        "degree",
        "weighted_degree",
        "betweenness",
        "closeness",
        "constraint",
        "effective_size",
        "community",
        "brokerage",
    ):
        assert key in node
    assert set(node["brokerage"]) >= {"coordinator", "gatekeeper", "representative", "itinerant", "liaison"}
    for key in ("density", "components", "isolates", "ei_index", "communities", "modularity"):
        assert key in out["graph"]
    assert out["graph"]["sole_brokers"] == {"moskee": 4, "welzijn": 3}
    assert "without Moskee Al Fath, 4 formal-informal pairs lose their only connection" in json.dumps(
        out["findings"]
    )
    later = json.loads(
        run(
            "metrics",
            "--ties",
            str(tmp_path / "ties.csv"),
            "--nodes",
            str(tmp_path / "nodes.csv"),
            "--at",
            "2026-07-01",
            "--json",
        ).stdout
    )
    assert later["graph"]["components"] == 2  # the tie welzijn-moskee ended on 2026-06-01
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nodes.csv", "ties.csv"]  # nothing written


def test_the_florentine_families_from_a_file_equal_networkx(tmp_path):
    g = nx.florentine_families_graph()
    (tmp_path / "ties.csv").write_text("source;target\n" + "".join(f"{a};{b}\n" for a, b in g.edges))
    out = json.loads(run("metrics", "--ties", str(tmp_path / "ties.csv"), "--json").stdout)
    between = nx.betweenness_centrality(g)
    for node in out["nodes"]:
        assert node["betweenness"] == pytest.approx(between[node["id"]], abs=1e-12)
    assert "brokerage" not in out["nodes"][0] and out["findings"] == []  # no formal/informal given


@pytest.mark.parametrize(
    ("ties", "message"),
    [
        ("source,target\na,\n", "row 2, source and target are required"),
        ("source,target,weight\na,b,veel\n", "row 2, column weight: 'veel' is not a number"),
        ("source,target,since\na,b,1-1-2025\n", "row 2, column since: '1-1-2025' is not a date"),
        ("source,target,since,until\na,b,2025-02-01,2025-01-01\n", "the tie ends before it begins"),
    ],
)
def test_bad_files_get_one_line_naming_the_row(tmp_path, ties, message):
    (tmp_path / "ties.csv").write_text(ties)
    done = run("metrics", "--ties", str(tmp_path / "ties.csv"))
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
