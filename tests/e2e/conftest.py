"""Browser tests: Playwright's Python package driving Debian's chromium (no downloaded browser)."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are
# synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("WIJKINZICHT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make install` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(locale="nl-NL")
    pg = context.new_page()
    csp_violations(pg)
    yield pg
    context.close()


@pytest.fixture
def csp_violations():
    """csp_violations(page): fail the test if the page's own code breaks its Content-Security-Policy
    (chromium reports each refused script, style or image on the console)."""
    seen: list[str] = []

    def watch(pg):
        pg.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)

    yield watch
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fail with every violation listed."""
    if not os.path.exists(AXE):
        pytest.fail("node_modules/axe-core is missing: run `make install` (npm ci)")

    source = Path(AXE).read_text(encoding="utf-8")

    def check(page, what: str) -> None:
        # evaluated through the DevTools protocol: the page's Content-Security-Policy refuses a
        # script tag added to it (as it should), and the check must not weaken the policy
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        problems = [f"{v['id']} ({v['impact']}): {v['help']} — "
                    + "; ".join(n["target"][0] for n in v["nodes"][:5]) for v in result["violations"]]
        assert not problems, f"axe-core on {what}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def job_worker(live_server):
    """A `wijkinzicht worker` for the live server's database, in a thread of this process."""
    import threading

    from django.utils.crypto import get_random_string

    from wijkinzicht.core.jobs import Worker

    worker = Worker.of_every_queue(worker_id=get_random_string(16), interval=0.1)
    thread = threading.Thread(target=worker.run, name="job-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=60)


@pytest.fixture
def log_in(axe_check):
    """log_in(page, username[, password]) on the login form the page shows, then the second step
    as a person does it: on the first login the set-up page (the key typed over from the page into
    an "app": here django-otp's TOTP), later the code page."""
    import base64
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code(key: bytes) -> str:
        totp = TOTP(key)
        totp.time = time.time()
        return f"{totp.token():06d}"

    def run(page, username: str, password: str = "geheim-wachtwoord-1") -> None:  # noqa: S107
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        # A click waits for the navigation to start, not to finish: wait for the next page
        # before reading it, or the old page's heading (or an empty list) is read.
        page.wait_for_load_state()
        heading = page.locator("h1").inner_text()
        if heading == "Tweestapsverificatie instellen":
            axe_check(page, "two-factor set-up")
            secret = page.locator("code.secret").inner_text().replace(" ", "")
            page.get_by_label("Code uit de app").fill(code(base64.b32decode(secret)))
            page.get_by_role("button", name="Bevestigen").click()
            expect(page.locator("ul.codes li")).to_have_count(10)
            axe_check(page, "recovery codes")
            page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
        elif heading == "Inloggen: tweede stap":
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            page.get_by_label("Code").fill(code(device.bin_key))
            page.get_by_role("button", name="Controleren").click()
            page.wait_for_load_state()

    return run
