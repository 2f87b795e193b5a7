"""Every organisation that exists gets its party in the network, serving the areas it serves (from
now on the network app keeps them in step; see signals.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Organisation = apps.get_model("parties", "Organisation")
    Party = apps.get_model("network", "Party")
    for organisation in Organisation.objects.all():
        party, _created = Party.objects.get_or_create(
            organisation=organisation, defaults={"name": organisation.name, "kind": organisation.kind}
        )
        party.areas.set(organisation.areas_served.all())


class Migration(migrations.Migration):
    dependencies = [("network", "0001_parties_and_ties"), ("parties", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
