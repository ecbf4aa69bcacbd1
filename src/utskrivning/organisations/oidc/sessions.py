"""Which of our sessions the provider began, so that its logout can end them here too."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from utskrivning.organisations.models import ProviderSession

_DATABASE_SESSIONS = "django.contrib.sessions.backends.db"


def provider_session_record(
    request: HttpRequest, *, user: AbstractBaseUser, sub: str, sid: str
) -> None:
    request.session.save()  # a key now, not when the response goes out
    if settings.SESSION_ENGINE == _DATABASE_SESSIONS:
        # The user's sessions that ended by themselves (30 minutes idle) leave no row behind.
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        ProviderSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    ProviderSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "sub": sub[:255], "sid": sid[:255]},
    )


def provider_session_forget(request: HttpRequest) -> None:
    if request.session.session_key:
        ProviderSession.objects.filter(session_key=request.session.session_key).delete()


@transaction.atomic
def provider_sessions_end(*, sub: str | None, sid: str | None) -> list[ProviderSession]:
    """Delete the sessions the provider's logout names: by its session id when it gives one (that
    sign-in only), else every session of the subject. Returns them, for the audit log."""
    sessions = ProviderSession.objects.select_for_update().select_related("user")
    if sid:
        sessions = sessions.filter(sid=sid)
        if sub:
            sessions = sessions.filter(sub=sub)
    else:
        sessions = sessions.filter(sub=sub)
    ended = list(sessions)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in ended:
        store(session_key=session.session_key).delete()
    ProviderSession.objects.filter(pk__in=[s.pk for s in ended]).delete()
    return ended
