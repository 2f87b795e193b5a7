"""Documentation and translations are checked, not trusted."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = ROOT / "src" / "wijkinzicht"


def test_every_setting_variable_is_documented():
    settings_src = (PACKAGE / "config" / "settings.py").read_text()
    used = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_src))
    used |= set(re.findall(r'env\.db_url\(\s*"([A-Z_]+)"', settings_src))
    assert "DATABASE_URL" in used and "WIJKINZICHT_SECRET_KEY" in used
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = [v for v in sorted(used) if f"`{v}`" not in documented]
    assert not missing, f"undocumented settings: {missing}"


def _po_entries(path: Path):
    entries, cur, field = [], None, None
    for line in path.read_text().splitlines() + [""]:
        if not line.strip():
            if cur:
                entries.append(cur)
            cur, field = None, None
            continue
        if line.startswith("#"):
            cur = cur or {"msgid": "", "msgstr": "", "flags": ""}
            if line.startswith("#,"):
                cur["flags"] += line
            continue
        cur = cur or {"msgid": "", "msgstr": "", "flags": ""}
        m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if m:
            field = "msgstr" if m.group(1).startswith("msgstr") else m.group(1)
            cur[field] = cur.get(field, "") + m.group(2)
        elif line.startswith('"') and field:
            cur[field] += line.strip('"')
    return entries


def test_dutch_translation_is_complete():
    entries = _po_entries(PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if e["msgid"] and not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_dutch_catalogue_compiles():
    """msgfmt --check: a broken entry would make `make install` (compilemessages) fail."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt not found: run `make install` (installs gettext)"
    po = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    done = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_pages_speak_dutch_by_default(client, db):
    html = client.get("/inloggen/").content.decode()
    assert 'lang="nl"' in html and "Gebruikersnaam" in html and "Inloggen" in html


def test_english_is_second_language(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    html = client.get("/inloggen/").content.decode()
    assert 'lang="en"' in html and "User name" in html
