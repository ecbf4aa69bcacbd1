"""The episode's facts as a projection in its row (issue 13): folded from each episode's events.

An import used to keep only the admission as an event when the process would have refused the
file's history, with the file's times in the columns alone; such an episode gets the `imported`
event its columns describe, so the history explains the row and a rebuild keeps it.
"""

from django.db import migrations, models

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import Event, EventType, FileRecord, Party, replay

COLUMNS = (
    "admission_notice_at", "ready_at", "named_contact_at", "sip_summoned_at", "sip_held_at",
    "discharged_at",
)  # fmt: skip


def _fold(events):
    from utskrivning.episodes.events import event_from_payload

    return replay((event_from_payload(e.type, e.payload), e.at) for e in events)


def _record(episode):
    parties = {Party.MUNICIPALITY} | ({Party.PRIMARY_CARE} if episode.primary_care_id else set())
    return FileRecord(
        recipients=frozenset(parties),
        ready_declarations=episode.ready_declarations,
        sip_needed=episode.sip_needed,
        closed=bool(episode.status),
        **{name: getattr(episode, name) for name in COLUMNS},
    )


def project(apps, schema_editor):
    from utskrivning.episodes.events import event_to_payload
    from utskrivning.episodes.services import _columns

    Episode = apps.get_model("episodes", "Episode")
    EpisodeEvent = apps.get_model("episodes", "EpisodeEvent")
    known = {field.name for field in Episode._meta.get_fields()}
    for episode in Episode.objects.order_by("pk").iterator(chunk_size=500):
        events = list(EpisodeEvent.objects.filter(episode=episode).order_by("pk"))
        facts = _fold(events)
        if any(getattr(facts, name) != getattr(episode, name) for name in COLUMNS):
            event = Event(EventType.IMPORTED, record=_record(episode))
            admitted = episode.admitted_at.astimezone(STOCKHOLM)
            first = events[0] if events else None
            events.append(
                EpisodeEvent.objects.create(
                    episode=episode,
                    type=event.type.value,
                    at=admitted,
                    organisation_id=first.organisation_id if first else None,
                    payload=event_to_payload(event),
                )
            )
            facts = _fold(events)
        # Only the columns of this migration's model: `_columns` writes later ones too.
        columns = {k: v for k, v in _columns(facts).items() if k in known}
        Episode.objects.filter(pk=episode.pk).update(**columns)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0005_api_keys_to_organisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="facts",
            field=models.JSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="episodeevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("admitted", "admitted"),
                    ("support_need_assessed", "support need assessed"),
                    ("admission_notice_sent", "admission notice sent"),
                    ("estimated_discharge_changed", "estimated discharge changed"),
                    ("ready_declared", "ready declared"),
                    ("ready_withdrawn", "ready withdrawn"),
                    ("named_contact_appointed", "named contact appointed"),
                    ("consent_recorded", "consent recorded"),
                    ("sip_need_assessed", "sip need assessed"),
                    ("sip_summoned", "sip summoned"),
                    ("sip_held", "sip held"),
                    ("hemgangsklar_checked", "hemgangsklar checked"),
                    ("discharge_notice_sent", "discharge notice sent"),
                    ("discharged", "discharged"),
                    ("closed", "closed"),
                    ("acknowledged", "acknowledged"),
                    ("deviation_reported", "deviation reported"),
                    ("coordinated_care_plan_recorded", "coordinated care plan recorded"),
                    ("court_decision_recorded", "court decision recorded"),
                    ("imported", "imported"),
                    ("event_voided", "event voided"),
                ],
                max_length=40,
                verbose_name="event",
            ),
        ),
        migrations.RunPython(project, migrations.RunPython.noop),
    ]
