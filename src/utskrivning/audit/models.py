"""One row per access to a patient's data or to the service; rows are never changed or removed.

The model refuses updates and deletes; on PostgreSQL a trigger (migration 0002) refuses them for
raw SQL too. Only the table's owner can still drop the trigger or TRUNCATE, so production should
migrate as the owner and serve as a role that is not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.audit.append_only import AppendOnlyError, AppendOnlyModel

__all__ = ["AppendOnlyError", "AuditAction", "AuditEntry"]


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    ACCESS = "access", _("Access")
    WRITE = "write", _("Write")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_BLOCKED = "login_blocked", _("Blocked login")
    LOCKED_OUT = "locked_out", _("Lockout")
    LOGOUT = "logout", _("Logout")
    DENIED = "denied", _("Denied")
    ADMIN_CHANGE = "admin_change", _("Administration")
    KEY_ISSUED = "key_issued", _("API key issued")
    KEY_REVOKED = "key_revoked", _("API key revoked")


class AuditEntry(AppendOnlyModel):
    history_name = "audit entries"

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # PROTECT: a user or organisation with a history is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",  # by name: audit lies below organisations, which write to it
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    obj_type = models.CharField(_("object type"), max_length=64)
    obj_id = models.CharField(_("object id"), max_length=150, blank=True)
    # HMAC of the personnummer (audit.services.patient_reference): searchable, never readable.
    patient_ref = models.CharField(_("patient reference"), max_length=64, blank=True, db_index=True)
    purpose = models.TextField(_("purpose"))
    # Every patient one request read, as references separated by spaces: one entry per request,
    # not one row per patient (a region's dashboard had written 100 407 rows in 21 s).
    patients = models.TextField(_("patients"), blank=True)
    path = models.CharField(_("request path"), max_length=2000, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    api_key = models.CharField(_("API key"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-at", "-id")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.obj_type} {self.obj_id}"
