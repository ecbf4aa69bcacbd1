"""Local passwords, which an administrator can turn off (`UTSKRIVNING_PASSWORD_LOGIN=false`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class PasswordBackend(ModelBackend):
    """Django's own, refusing every password while they are turned off: no form or admin page
    can sign in with one then. Sessions it made before stay valid until they end."""

    def authenticate(
        self, request: HttpRequest | None, *args: Any, **kwargs: Any
    ) -> AbstractBaseUser | None:
        if not settings.PASSWORD_LOGIN:
            return None
        return super().authenticate(request, *args, **kwargs)
