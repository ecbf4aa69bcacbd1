"""Rows that are history: written once, never changed or removed by the application.

The audit log and the episodes' event table both keep this promise; one base class keeps it the
same way for both. `mutable` names the columns a queryset update may still set (an outbox flag).
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove a row of history."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - self.model.mutable:
            raise AppendOnlyError(f"{self.model.history_name} cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model.history_name} cannot be deleted")


class AppendOnlyModel(models.Model):
    history_name: ClassVar[str]
    mutable: ClassVar[frozenset[str]] = frozenset()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self.history_name} cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.history_name} cannot be deleted")
