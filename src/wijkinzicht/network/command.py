"""`wijkinzicht network metrics --ties TIES.csv [--nodes NODES.csv] [--at DATE] [--json]`: the
network measures on plain files, without Django (like `wijkinzicht evaluate`).

TIES.csv: source, target and optionally weight, kind, directed, since, until (YYYY-MM-DD; until is
the first day without the tie). NODES.csv: id and optionally formal (true/false), name, kind.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

MAX_BYTES = 200 * 1024 * 1024


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkinzicht network", description="Network measures on plain files."
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{metrics}")
    metrics = sub.add_parser("metrics", help="Measures per party and for the network, and the findings.")
    metrics.add_argument(
        "--ties", required=True, help="CSV: source,target[,weight,kind,directed,since,until]"
    )
    metrics.add_argument("--nodes", help="CSV: id[,formal,name,kind]; formal true/false for brokerage")
    metrics.add_argument("--at", help="Only the ties active on this date (YYYY-MM-DD).")
    metrics.add_argument("--json", action="store_true", help="Print one JSON object.")
    return parser


def _rows(path: str) -> list[dict]:
    from wijkinzicht.analysis.network import NetworkError
    from wijkinzicht.core.textfile import header_delimiter, read_text

    text = read_text(path, MAX_BYTES, NetworkError)
    if "\x00" in text:
        raise NetworkError(f"{path}: not a text file")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=header_delimiter(text))
    try:
        rows = [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise NetworkError(f"{path}: line {reader.line_num}: {exc}") from None
    return rows


def main(argv: list[str], stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    options = build_parser().parse_args(argv)
    from wijkinzicht.analysis import network as net

    try:
        ties = net.read_ties(_rows(options.ties))
        parties = net.read_parties(_rows(options.nodes)) if options.nodes else []
        network = net.Network.from_ties(ties, parties)
        at = net.parse_date(options.at or "", where="--at: ")
        result = net.metrics(network.at(at))
    except net.NetworkError as exc:
        stderr.write(f"error: {exc}\n")
        return 1
    if options.json:
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    info = result["graph"]
    stdout.write(
        f"{info['parties']} parties, {info['ties']} ties, density {info['density']:.3f}, "
        f"{info['components']} components, {len(info['isolates'])} isolates, "
        f"{info['communities']} communities (modularity {info['modularity']:.3f})\n"
    )
    if info.get("ei_index") is not None:
        stdout.write(f"E-I index formal/informal: {info['ei_index']:.3f}\n")
    top = sorted(result["nodes"], key=lambda n: -n["betweenness"])[:10]
    stdout.write("highest betweenness:\n")
    for node in top:
        stdout.write(f"  {node['name'] or node['id']}: {node['betweenness']:.3f} (degree {node['degree']})\n")
    for finding in result["findings"]:
        stdout.write(f"{finding['question']}\n  {finding['text']}\n")
    return 0
