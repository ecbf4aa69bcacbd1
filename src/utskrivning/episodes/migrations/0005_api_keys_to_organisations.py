"""API keys move to `organisations.ApiKey`, which adds expiry, revocation and last use.

The existing keys are copied, hash and all, so every system keeps working: a key's name stays (or
becomes "key <n>"), and it is valid for a year from this migration.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def copy_keys(apps, schema_editor):
    ApiToken = apps.get_model("episodes", "ApiToken")
    ApiKey = apps.get_model("organisations", "ApiKey")
    expires = timezone.now() + timedelta(days=365)
    ApiKey.objects.bulk_create(
        ApiKey(
            membership_id=token.membership_id,
            key_hash=token.key_hash,
            name=token.name or f"key {token.pk}",
            created=token.created,
            expires=expires,
        )
        for token in ApiToken.objects.all()
    )


def copy_back(apps, schema_editor):
    ApiToken = apps.get_model("episodes", "ApiToken")
    ApiKey = apps.get_model("organisations", "ApiKey")
    ApiToken.objects.bulk_create(
        ApiToken(
            membership_id=key.membership_id,
            key_hash=key.key_hash,
            name=key.name,
            created=key.created,
        )
        for key in ApiKey.objects.filter(revoked__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0004_open_episodes_index"),
        ("organisations", "0003_apikey"),
    ]

    operations = [
        migrations.RunPython(copy_keys, copy_back),
        migrations.DeleteModel(name="ApiToken"),
    ]
