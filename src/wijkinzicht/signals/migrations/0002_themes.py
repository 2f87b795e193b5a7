"""The first managed list of themes (signals/defaults.py). Administrators edit names, keywords and
order afterwards; the keys stay."""

from django.db import migrations


def add_themes(apps, schema_editor):
    from wijkinzicht.signals.defaults import add_themes as add

    add(apps.get_model("signals", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
