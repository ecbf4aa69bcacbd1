"""What the API keeps for itself: the answers to idempotent writes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotentAnswer(models.Model):
    """The answer a write gave, kept under the hash of (caller, operation, key).

    The caller is the API key or the session's membership, the operation the method and path:
    another caller, or another operation, with the same key is another request. The key itself is
    never stored (it may be any length and hold anything), and neither is the body: its hash tells
    a retry from a different request under the same key.
    """

    scope_hash = models.CharField(max_length=64, unique=True)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    created = models.DateTimeField(default=timezone.now, db_index=True)
