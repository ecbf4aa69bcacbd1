"""The header counter's polling interval, from settings (the browser tests poll faster)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def notice_poll_seconds() -> int:
    return int(settings.NOTICE_POLL_SECONDS)
