"""Each party's earliest unmet deadline and whether it owes a step, on the episode's row (the
worklist's order, filters and counters), filled from each open episode's projected facts."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from utskrivning.domain.process import facts_from_json
    from utskrivning.episodes.services import party_columns

    Episode = apps.get_model("episodes", "Episode")
    for episode in Episode.objects.filter(status="").exclude(facts={}).iterator(chunk_size=500):
        columns = party_columns(facts_from_json(episode.facts))
        Episode.objects.filter(pk=episode.pk).update(**columns)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0010_notes"),
        ("organisations", "0003_apikey"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="inpatient_care_due",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="episode",
            name="inpatient_care_owes",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="episode",
            name="municipality_due",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="episode",
            name="municipality_owes",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="episode",
            name="primary_care_due",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="episode",
            name="primary_care_owes",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=["inpatient_care_due", "id"],
                name="open_inpatient_care_due",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=["primary_care_due", "id"],
                name="open_primary_care_due",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=["municipality_due", "id"],
                name="open_municipality_due",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
