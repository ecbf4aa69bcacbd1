"""Worklists read off indexes of the open episodes per ward (in the worklist's order) and per
municipality and district, not the region's open episodes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0012_event_timeline_index"),
        ("organisations", "0005_organisation_password_login"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=[
                    "ward",
                    "-inpatient_care_owes",
                    "inpatient_care_due",
                    "-admitted_at",
                    "-id",
                ],
                name="open_ward_worklist",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=["home_municipality"],
                name="open_home_municipality",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")),
                fields=["placing_municipality"],
                name="open_placing_municipality",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("status", "")), fields=["district"], name="open_district"
            ),
        ),
    ]
