"""Refusals every app's services raise, and the API and the pages each map to their own answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ConflictError(Exception):
    """The record changed since the caller read it (optimistic concurrency)."""


class NotVisibleError(PermissionDenied):
    """The organisation may not see this record; the API answers 404, not 403."""
