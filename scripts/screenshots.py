"""Screenshots of the main pages at phone (360x740) and desktop (1366x900) size, in Debian's chromium
through Playwright: the README shows what the product looks like (docs/screenshots/), and a
reviewer sees every page as its users do.

    make demo                     # in one terminal (prints the demo passwords once)
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000 --user ams-analist \\
        --password PASSWORD [--out docs/screenshots] [--page PATH ...]

The first login of a demo user sets up two-factor login: the script reads the key from the page
and answers with a TOTP code, as an authenticator app would (pyotp is not needed: django-otp's
TOTP). Pass the same user again later: the script keeps the key, readable by you only, in the
system's temporary folder (wijkinzicht-totp-USER) -- never next to the screenshots.
"""

from __future__ import annotations

import argparse
import base64
import re
import tempfile
import time
from pathlib import Path

PAGES = (
    ("home", "/"),
    ("gebieden", "/gebieden/"),
    ("zoeken-den-haag", "/gebieden/?q=Den+Haag"),
    ("amsterdam", "/gebieden/GM0363/"),
    ("buurt-oude-kerk", "/gebieden/BU0363AE02/"),
    ("index-amsterdam", "/gebieden/GM0363/index/?year=2017"),
    ("index-amsterdam-2025", "/gebieden/GM0363/index/"),
    ("vergelijkbaar", "/gebieden/GM0363/vergelijkbaar/"),
    ("tabel", "/gebieden/tabel/?areas=GM0363&parts_of=GM0363&indicators=population&indicators=woz_mean"
              "&indicators=pct_rented&year_from=2020"),
    ("westerwolde", "/gebieden/GM1950/"),
    ("sociale-kaart", "/sociale-kaart/"),
    ("activiteiten", "/activiteiten/"),
    ("programmas", "/programmas/"),
    ("evaluaties", "/evaluaties/"),
)
SIZES = (("360", 360, 740), ("1366", 1366, 900))


def totp(secret: str) -> str:
    from django_otp.oath import TOTP

    t = TOTP(base64.b32decode(secret))
    t.time = time.time()
    return f"{t.token():06d}"


def log_in(page, url: str, user: str, password: str, keyfile: Path) -> None:
    page.goto(f"{url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    heading = page.locator("h1").inner_text()
    if heading == "Tweestapsverificatie instellen":
        secret = page.locator("code.secret").inner_text().replace(" ", "")
        keyfile.touch(mode=0o600)
        keyfile.write_text(secret)
        page.get_by_label("Code uit de app").fill(totp(secret))
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    elif heading == "Inloggen: tweede stap":
        page.get_by_label("Code").fill(totp(keyfile.read_text().strip()))
        page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkinzicht.config.settings")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--page", action="append", help="only these paths (name derived from the path)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = PAGES if not args.page else [(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") or "home", p)
                                         for p in args.page]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        browser = pw.chromium.launch(executable_path=args.chromium, args=flags)
        # one login (a TOTP code counts once), its session shared by both sizes
        first = browser.new_context(locale="nl-NL")
        keyfile = Path(tempfile.gettempdir()) / f"wijkinzicht-totp-{args.user}"
        log_in(first.new_page(), args.url.rstrip("/"), args.user, args.password, keyfile)
        session = first.storage_state()
        first.close()
        for label, width, height in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL",
                                          storage_state=session)
            page = context.new_page()
            for name, path in pages:
                page.goto(args.url.rstrip("/") + path)
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
                target = out / f"{name}-{label}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(f"{target}{'  (scrolls sideways!)' if overflow else ''}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
