from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "utskrivning.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
        from django.contrib.auth import get_user_model

        from utskrivning.organisations.api_keys import forget_api_keys
        from utskrivning.organisations.kept import forget_organisations
        from utskrivning.organisations.models import ApiKey, Membership, Organisation

        for signal in (post_save, post_delete):
            signal.connect(forget_organisations, sender=Organisation)
            for model in (ApiKey, Membership, Organisation, get_user_model()):
                signal.connect(forget_api_keys, sender=model)


def _create_cache_table(using: str, **kwargs: Any) -> None:
    """The login rate limit counts in the database cache, whose table no migration creates."""
    call_command("createcachetable", database=using, verbosity=0)
