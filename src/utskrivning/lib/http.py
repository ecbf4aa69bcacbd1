"""HTTP helpers every app shares: the client's address (for the audit log and the login rate
limit) and a download's response."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind our proxy the address it appended last to X-Forwarded-For.

    Only the last entry is the proxy's own word; earlier ones are whatever the client sent, and
    trusting them would let an attacker pick the address the rate limit counts against.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A download, for the pages and the API alike."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
