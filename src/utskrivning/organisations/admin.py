from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.organisations.models import ApiKey, Membership, Organisation, StaffIdentity


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin (a membership, a role, a password, an organisation) is in
    the audit log beside Django's own admin history, with who, from where and what."""

    def _audit(self, request: HttpRequest, obj: Any, what: str) -> None:
        audit_record(
            actor=request.user,
            organisation=None,
            action=AuditAction.ADMIN_CHANGE,
            obj_type=obj._meta.model_name,
            obj_id=obj.pk if obj.pk is not None else str(obj),
            purpose=f"admin {what}: {str(obj)[:200]}",
            request=request,
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, f"added {message}")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, f"changed {message}")
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "deleted")
        return super().log_deletions(request, queryset)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "parent", "municipality_code", "rulebook_id", "password_login")
    list_filter = ("kind", "password_login")
    list_select_related = ("parent",)
    search_fields = ("name", "municipality_code")
    autocomplete_fields = ("parent",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__kind")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__last_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


class StaffIdentityInline(admin.StackedInline):
    """The HSA-id a sign-in through the identity provider finds the user by."""

    model = StaffIdentity
    can_delete = True
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(AuditedAdmin, UserAdmin):
    inlines = (*UserAdmin.inlines, StaffIdentityInline, MembershipInline)
    search_fields = (*UserAdmin.search_fields, "identity__hsa_id")


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    """Keys are issued on the organisation's page or the command line (shown once); here they
    are read and revoked, never created or their hash edited."""

    list_display = ("name", "membership", "created", "expires", "revoked", "last_used")
    list_select_related = ("membership__user", "membership__organisation")
    readonly_fields = ("membership", "key_hash", "name", "created", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
