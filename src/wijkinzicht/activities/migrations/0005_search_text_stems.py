"""The sociale kaart's search text is now normalised and stemmed, with themes and target groups in
words (services.search_text): computed again for every activity."""

from django.db import migrations


def recompute(apps, schema_editor):
    from wijkinzicht.activities.services import search_text

    Activity = apps.get_model("activities", "Activity")
    changed = []
    for activity in Activity.objects.select_related("organisation").iterator(chunk_size=500):
        activity.search_text = search_text(activity, activity.organisation.name)
        changed.append(activity)
        if len(changed) >= 500:
            Activity.objects.bulk_update(changed, ["search_text"])
            changed = []
    Activity.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_record_keys")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
