from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from utskrivning.audit.models import AuditEntry
from utskrivning.audit.services import entries_naming
from utskrivning.domain.identity import looks_like_personal_number, parse_personal_number


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only; a personnummer typed into the search finds the patient's entries by reference."""

    list_display = ("at", "user", "organisation", "action", "path", "status", "ip", "api_key")
    list_filter = ("action", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "obj_type", "obj_id", "purpose", "path")
    date_hierarchy = "at"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry], search_term: str
    ) -> tuple[QuerySet[AuditEntry], bool]:
        if looks_like_personal_number(search_term):
            try:
                number = parse_personal_number(search_term, today=timezone.localdate())
            except ValueError:
                return queryset.none(), False
            return queryset & entries_naming(number), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
