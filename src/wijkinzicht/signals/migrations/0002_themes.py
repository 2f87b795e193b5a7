"""The first managed list of themes, with the shipped lexicon (analysis/data/signal_lexicon_nl.csv)
as their keywords. Administrators edit names, keywords and order afterwards; the keys stay."""

import csv
import io
from importlib import resources

from django.db import migrations

THEMES = [
    # key, Dutch name, English name, description, activity themes
    ("eenzaamheid", "Eenzaamheid", "Loneliness", "Alleen zijn, weinig contact, isolement.",
     "eenzaamheid,ontmoeting"),
    ("armoede_schulden", "Armoede en schulden", "Poverty and debts",
     "Niet rondkomen, betalingsachterstanden, voedselbank.", "armoede,werk"),
    ("jeugdoverlast", "Overlast door jongeren", "Youth nuisance",
     "Rondhangen, lawaai, vernieling, intimidatie door jongeren.", "jeugd"),
    ("psychische_gezondheid", "Psychische gezondheid", "Mental health",
     "Somberheid, angst, verward gedrag, overbelasting.", "gezondheid"),
    ("wonen_burenruzie", "Wonen en spanningen tussen buren", "Housing and neighbour tension",
     "Burenruzies, overlast, slechte woningen, overbewoning.", "wonen"),
    ("veiligheid", "Veiligheid", "Safety", "Onveilig voelen, criminaliteit, geweld, ondermijning.",
     "veiligheid"),
    ("polarisatie", "Polarisatie", "Polarisation", "Spanningen tussen groepen, discriminatie, wantrouwen.",
     "participatie,ontmoeting"),
    ("gezondheid", "Gezondheid", "Health", "Lichamelijke gezondheid, bewegen, leefstijl, zorg mijden.",
     "gezondheid,bewegen"),
    ("taal_participatie", "Taal en meedoen", "Language and participation",
     "Taal, digitale vaardigheden, werk, vrijwilligerswerk, meedoen.", "taal,participatie,werk"),
    ("verslaving", "Verslaving", "Addiction", "Alcohol, drugs, gokken.", "gezondheid"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("signals", "Theme")
    text = resources.files("wijkinzicht.analysis").joinpath("data", "signal_lexicon_nl.csv").read_text("utf-8")
    keywords = {}
    for row in csv.DictReader(io.StringIO(text)):
        keywords.setdefault(row["theme"], []).append(row["keyword"])
    for order, (key, name, name_en, description, activity_themes) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            key=key,
            defaults={"name": name, "name_en": name_en, "description": description, "order": order,
                      "keywords": "\n".join(keywords.get(key, [])), "activity_themes": activity_themes},
        )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
