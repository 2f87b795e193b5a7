"""Issue 16 target: the network page of an area with 300 parties renders, and responds to a filter,
in under 1 s in the browser. Measured in Debian's chromium (Playwright) against gunicorn on loopback
and a fresh SQLite database: from the start of the navigation until the picture is drawn
(#network-picture[data-ready], set by network.js after cytoscape has laid out every party), for
the first view, a move of the time slider, and a date and kind filter sent with the form.

    .venv/bin/python benchmarks/network_page.py [--parties 300] [--runs 5]

The network: 300 parties in one wijk (a fifth formal), 900 ties with start dates over two years and a
tenth ended (seed 1), declared through the services as people would."""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"

SETUP = r"""
import datetime as dt, random, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wijkinzicht.areas.models import Area
from wijkinzicht.network import services
from wijkinzicht.network.models import Party, Tie, TieEvent
from wijkinzicht.parties.services import membership_grant, organisation_create, user_create
n, ties = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(1)
gm = Area.objects.create(code="GM0599", level="gemeente", name="Rotterdam")
wk = Area.objects.create(code="WK059901", level="wijk", name="Rotterdam Centrum", parent=gm)
formal = [organisation_create(name=f"Organisatie {i}", kind=rng.choice(["welzijn", "zorg", "wijkteam",
          "corporatie", "politie", "onderwijs"]), area_codes=["WK059901"]) for i in range(n // 5)]
user = user_create(username="bench", password="bench-wachtwoord-12")
membership_grant(user=user, organisation=formal[0], role="coordinator")
for o in formal[1:]:
    membership_grant(user=user, organisation=o, role="coordinator")
informal = [services.party_create(user=user, organisation=formal[i % len(formal)], name=f"Bewonersgroep {i}",
            kind=rng.choice(["bewonersinitiatief", "vrijwilligersgroep", "zelforganisatie", "sportvereniging",
            "ondernemers"]), areas=[wk]) for i in range(n - len(formal))]
own = [services.party_for_organisation(o) for o in formal]
everyone = own + informal
kinds = ["cooperation", "referral", "funding", "consultation", "shared_location", "informal_contact"]
made, seen = 0, set()
today = dt.date.today()
while made < ties:
    i = rng.randrange(len(own))
    j = rng.randrange(len(everyone))
    a, b = own[i], everyone[j]
    if a.pk == b.pk or (a.pk, b.pk) in seen:
        continue
    seen.add((a.pk, b.pk)); seen.add((b.pk, a.pk))
    since = today - dt.timedelta(days=rng.randrange(730))
    tie = services.tie_declare(user=user, organisation=formal[i], source=a, target=b, kind=rng.choice(kinds),
                               since=since, strength=rng.randint(1, 3))
    if rng.random() < 0.1:
        services.tie_end(user=user, organisation=formal[i], tie=tie, until=since + dt.timedelta(days=200))
    made += 1
print(Party.objects.count(), Tie.objects.count())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parties", type=int, default=300)
    parser.add_argument("--ties", type=int, default=900)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="wijkinzicht-bench-network-")
    env = {**os.environ, "WIJKINZICHT_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "wijkinzicht.config.settings"}
    env.pop("DATABASE_URL", None)
    t = time.perf_counter()
    counts = subprocess.run([BIN / "python", "-c", SETUP, str(args.parties), str(args.ties)], env=env, check=True,
                            capture_output=True, text=True).stdout.split()
    print(f"network: {counts[0]} parties, {counts[1]} ties (set up in {time.perf_counter() - t:.0f} s)")
    port = free_port()
    server = subprocess.Popen([BIN / "gunicorn", "wijkinzicht.config.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        measure(f"http://127.0.0.1:{port}", args.runs)
    finally:
        server.terminate()
        server.wait()


def measure(url: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import log_in

    page_url = f"{url}/netwerk/gebied/WK059901/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("WIJKINZICHT_CHROMIUM", "/usr/bin/chromium"),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        keyfile = Path(tempfile.mkdtemp()) / "totp"
        log_in(page, url, "bench", "bench-wachtwoord-12", keyfile)
        figures: dict[str, list[float]] = {"first view": [], "time slider": [], "date and kind filter": []}
        for _ in range(runs):
            t = time.perf_counter()
            page.goto(page_url)
            page.wait_for_selector("#network-picture[data-ready]")
            figures["first view"].append(time.perf_counter() - t)
            slider = page.locator("#network-slider")
            t = time.perf_counter()
            slider.fill(str(int(slider.get_attribute("max")) // 2))  # choose a month, then Enter shows it
            with page.expect_navigation():
                slider.press("Enter")
            page.wait_for_selector("#network-picture[data-ready]")
            figures["time slider"].append(time.perf_counter() - t)
            t = time.perf_counter()  # what the form sends: a date, two kinds of tie, derived ties
            page.goto(f"{page_url}?datum=2025-06-30&sinds=2024-06-30&soort=cooperation&soort=referral&afgeleid=on")
            page.wait_for_selector("#network-picture[data-ready]")
            figures["date and kind filter"].append(time.perf_counter() - t)
        nodes = page.evaluate("() => document.getElementById('network-picture').cy.nodes().length")
        browser.close()
    print(f"picture: {nodes} parties drawn; {runs} runs each, seconds from navigation to the drawn picture")
    for what, values in figures.items():
        print(f"  {what:22} median {statistics.median(values):.2f} s, max {max(values):.2f} s")


if __name__ == "__main__":
    main()
