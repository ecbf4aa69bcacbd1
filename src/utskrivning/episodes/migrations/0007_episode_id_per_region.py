"""Episode ids are unique per region (issue 14 class 12): each episode keeps its ward's region."""

import django.db.models.deletion
from django.db import migrations, models


def _regions(apps, schema_editor):
    """A ward's region is its hospital's parent; one update per ward."""
    Episode = apps.get_model("episodes", "Episode")
    Organisation = apps.get_model("organisations", "Organisation")
    wards = Organisation.objects.filter(pk__in=Episode.objects.values("ward_id"))
    for ward in wards.select_related("parent"):
        Episode.objects.filter(ward_id=ward.pk).update(region_id=ward.parent.parent_id)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0006_episode_facts"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(_regions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="episode",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="episode",
            name="external_id",
            field=models.CharField(max_length=64, verbose_name="episode id"),
        ),
        migrations.AddConstraint(
            model_name="episode",
            constraint=models.UniqueConstraint(
                fields=("region", "external_id"), name="episode_id_unique_per_region"
            ),
        ),
    ]
