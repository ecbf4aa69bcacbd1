"""The messages and estimated dates out of `Episode.facts` into rows of their own (issue 15): a
write decoded and encoded every one of them, so its cost grew with the history. The row keeps
what a write needs of the messages (`awaiting`, `messages_sent`), worked out as they move."""

import django.db.models.deletion
from django.db import migrations, models


def move_out(apps, schema_editor):
    """Each episode whose row still holds its messages: the rows written, the facts rewritten
    without them (`facts_from_json` reads such a row whole)."""
    from utskrivning.domain.process import facts_from_json, facts_to_json
    from utskrivning.episodes.projected import projected_rows

    Episode = apps.get_model("episodes", "Episode")
    ProjectedMessage = apps.get_model("episodes", "ProjectedMessage")
    ProjectedEstimate = apps.get_model("episodes", "ProjectedEstimate")
    held = Episode.objects.filter(facts__has_key="messages").only("pk", "facts")
    for episode in held.iterator(chunk_size=500):
        facts = facts_from_json(episode.facts)
        messages, estimates = projected_rows(episode.pk, facts)
        ProjectedMessage.objects.bulk_create(ProjectedMessage(**_fields(row)) for row in messages)
        ProjectedEstimate.objects.bulk_create(
            ProjectedEstimate(**_fields(row)) for row in estimates
        )
        Episode.objects.filter(pk=episode.pk).update(facts=facts_to_json(facts))


def _fields(row):
    """An unsaved row of today's model as the migration's own (its state at this migration)."""
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name != "id"}


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0013_worklist_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectedEstimate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("estimate", models.DateField()),
                ("at", models.DateTimeField()),
                ("by", models.JSONField(blank=True, null=True)),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="episodes.episode",
                    ),
                ),
            ],
            options={
                "ordering": ("id",),
                "indexes": [models.Index(fields=["episode", "id"], name="projected_estimates")],
            },
        ),
        migrations.CreateModel(
            name="ProjectedMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("admission_notice", "admission notice"),
                            ("estimated_discharge_change", "estimated discharge change"),
                            ("readiness_notification", "readiness notification"),
                            ("readiness_withdrawal", "readiness withdrawal"),
                            ("sip_summons", "sip summons"),
                            ("discharge_notice", "discharge notice"),
                        ],
                        max_length=40,
                    ),
                ),
                (
                    "party",
                    models.CharField(
                        choices=[
                            ("inpatient_care", "inpatient care"),
                            ("primary_care", "primary care"),
                            ("municipality", "municipality"),
                        ],
                        max_length=24,
                    ),
                ),
                ("sent_at", models.DateTimeField()),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="episodes.episode",
                    ),
                ),
            ],
            options={
                "ordering": ("number", "party"),
                "indexes": [
                    models.Index(
                        condition=models.Q(("acknowledged_at__isnull", True)),
                        fields=["episode", "party", "kind", "sent_at"],
                        name="projected_message_awaited",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("episode", "number", "party"),
                        name="one_projected_message_per_party",
                    )
                ],
            },
        ),
        migrations.RunPython(move_out),  # the old row cannot be read by code after this
    ]
