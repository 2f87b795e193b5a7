"""The first managed list of themes, with the shipped keyword lexicon (analysis/data/
signal_lexicon_nl.csv) as their keywords. Migration 0002 adds them; `ensure_themes` adds them again
where they are missing (a test database flushed by a transactional test, a database restored from
before the signals module)."""

from __future__ import annotations

import csv
import io
from importlib import resources

THEMES = [
    # key, Dutch name, English name, description, activity themes
    (
        "eenzaamheid",
        "Eenzaamheid",
        "Loneliness",
        "Alleen zijn, weinig contact, isolement.",
        "eenzaamheid,ontmoeting",
    ),
    (
        "armoede_schulden",
        "Armoede en schulden",
        "Poverty and debts",
        "Niet rondkomen, betalingsachterstanden, voedselbank.",
        "armoede,werk",
    ),
    (
        "jeugdoverlast",
        "Overlast door jongeren",
        "Youth nuisance",
        "Rondhangen, lawaai, vernieling, intimidatie door jongeren.",
        "jeugd",
    ),
    (
        "psychische_gezondheid",
        "Psychische gezondheid",
        "Mental health",
        "Somberheid, angst, verward gedrag, overbelasting.",
        "gezondheid",
    ),
    (
        "wonen_burenruzie",
        "Wonen en spanningen tussen buren",
        "Housing and neighbour tension",
        "Burenruzies, overlast, slechte woningen, overbewoning.",
        "wonen",
    ),
    (
        "veiligheid",
        "Veiligheid",
        "Safety",
        "Onveilig voelen, criminaliteit, geweld, ondermijning.",
        "veiligheid",
    ),
    (
        "polarisatie",
        "Polarisatie",
        "Polarisation",
        "Spanningen tussen groepen, discriminatie, wantrouwen.",
        "participatie,ontmoeting",
    ),
    (
        "gezondheid",
        "Gezondheid",
        "Health",
        "Lichamelijke gezondheid, bewegen, leefstijl, zorg mijden.",
        "gezondheid,bewegen",
    ),
    (
        "taal_participatie",
        "Taal en meedoen",
        "Language and participation",
        "Taal, digitale vaardigheden, werk, vrijwilligerswerk, meedoen.",
        "taal,participatie,werk",
    ),
    ("verslaving", "Verslaving", "Addiction", "Alcohol, drugs, gokken.", "gezondheid"),
]


def keywords() -> dict[str, list[str]]:
    text = (
        resources.files("wijkinzicht.analysis").joinpath("data", "signal_lexicon_nl.csv").read_text("utf-8")
    )
    out: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(row["theme"], []).append(row["keyword"])
    return out


def add_themes(theme_model) -> int:
    """Add the default themes that are missing (by key; existing ones are left as they are)."""
    words = keywords()
    added = 0
    for order, (key, name, name_en, description, activity_themes) in enumerate(THEMES, start=1):
        _, created = theme_model.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "order": order,
                "keywords": "\n".join(words.get(key, [])),
                "activity_themes": activity_themes,
            },
        )
        added += created
    return added


def ensure_themes() -> None:
    """The default themes, if the list is empty."""
    from .models import Theme

    if not Theme.objects.exists():
        add_themes(Theme)
