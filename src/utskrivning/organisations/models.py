"""Who takes part: the organisations of the three parties and the users' roles in them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.domain.documents import runs_as_formula
from utskrivning.domain.municipalities import MUNICIPALITY_CODES
from utskrivning.domain.rulebooks import RulebookError, load_rulebook


class Kind(models.TextChoices):
    REGION = "region", _("Region")
    HOSPITAL = "hospital", _("Hospital")
    WARD = "ward", _("Clinic or ward")
    PRIMARY_CARE = "primary_care", _("Primary care unit")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("District")


# The municipal side of the law: a municipality, or in Stockholm its district.
MUNICIPAL_KINDS = frozenset({Kind.MUNICIPALITY, Kind.DISTRICT})

# A municipality is not part of the region: its parent is the region it has its agreement with,
# which says whose rulebook prices its ready days. Stockholm invoices per district.
PARENT_KIND: dict[Kind, Kind | None] = {
    Kind.REGION: None,
    Kind.HOSPITAL: Kind.REGION,
    Kind.WARD: Kind.HOSPITAL,
    Kind.PRIMARY_CARE: Kind.REGION,
    Kind.MUNICIPALITY: Kind.REGION,
    Kind.DISTRICT: Kind.MUNICIPALITY,
}


class Role(models.TextChoices):
    WARD_NURSE = "ward_nurse", _("Ward nurse")
    PHYSICIAN = "physician", _("Physician")
    PRIMARY_CARE_HEAD = "primary_care_head", _("Head of primary care unit")
    CARE_CONTACT = "care_contact", _("Named care contact")
    CASE_OFFICER = "case_officer", _("Case officer")
    FINANCE = "finance", _("Finance")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Where each role sits (Membership.clean refuses the rest). Stockholm is invoiced per district,
# so a district has finance and analysis staff of its own.
ROLE_KINDS: dict[Role, frozenset[Kind]] = {
    Role.WARD_NURSE: frozenset({Kind.WARD}),
    Role.PHYSICIAN: frozenset({Kind.WARD}),
    Role.PRIMARY_CARE_HEAD: frozenset({Kind.PRIMARY_CARE}),
    Role.CARE_CONTACT: frozenset({Kind.PRIMARY_CARE}),
    Role.CASE_OFFICER: frozenset({Kind.MUNICIPALITY, Kind.DISTRICT}),
    Role.FINANCE: frozenset({Kind.REGION, Kind.MUNICIPALITY, Kind.DISTRICT}),
    Role.ANALYST: frozenset({Kind.REGION, Kind.MUNICIPALITY, Kind.DISTRICT}),
    Role.ADMINISTRATOR: frozenset(Kind),
}


_RULEBOOK_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def validate_municipality_code(code: str) -> None:
    if code not in MUNICIPALITY_CODES:
        raise ValidationError(_("%(code)s is not a kommunkod."), params={"code": code})


def validate_rulebook_id(rulebook_id: str) -> None:
    # An id, never a path: load_rulebook would also open a file named here.
    if not _RULEBOOK_ID.fullmatch(rulebook_id):
        raise ValidationError(_("A rulebook id is lower-case letters, digits and hyphens."))
    try:
        load_rulebook(rulebook_id)
    except RulebookError as error:
        raise ValidationError(str(error)) from None


def validate_name(name: str) -> None:
    """Names come out in every download (a ward is an episode's unit): none may run as a formula."""
    if runs_as_formula(name):
        raise ValidationError(_("A name may not start with =, +, - or @."))


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("The four-digit kommunkod; municipalities only."),
    )
    rulebook_id = models.CharField(
        _("rulebook"),
        max_length=64,
        blank=True,
        validators=[validate_rulebook_id],
        help_text=_("The agreement's payment rules, e.g. dalarna-2020; regions only."),
    )
    password_login = models.BooleanField(
        _("password login"),
        default=True,
        help_text=_(
            "Off: the organisation's staff sign in through the identity provider only "
            "(SITHS eID), never with a password."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("kind", "name")
        constraints = (
            models.CheckConstraint(
                condition=(Q(kind=Kind.MUNICIPALITY) & ~Q(municipality_code=""))
                | (~Q(kind=Kind.MUNICIPALITY) & Q(municipality_code="")),
                name="municipality_code_iff_municipality",
                violation_error_message=_("A municipality, and only a municipality, has a code."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=Kind.REGION) & ~Q(rulebook_id=""))
                | (~Q(kind=Kind.REGION) & Q(rulebook_id="")),
                name="rulebook_iff_region",
                violation_error_message=_("A region, and only a region, has a rulebook."),
            ),
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=Q(kind=Kind.MUNICIPALITY),
                name="one_organisation_per_municipality",
                violation_error_message=_("This municipality already exists."),
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind not in Kind.values:
            return  # the field's own validation reports it
        expected = PARENT_KIND[Kind(self.kind)]
        actual = self.parent.kind if self.parent else None
        if expected is None and actual is not None:
            raise ValidationError({"parent": _("A region is part of nothing.")})
        if expected is not None and actual != expected:
            message = _("Must be part of: %(kind)s.") % {"kind": expected.label}
            raise ValidationError({"parent": message})

    @property
    def region(self) -> Organisation | None:
        """The region whose agreement applies; one query per level (at most three)."""
        organisation: Organisation | None = self
        while organisation is not None and organisation.kind != Kind.REGION:
            organisation = organisation.parent
        return organisation


def qualified_unit(ward: Organisation) -> str:
    """A ward named with its hospital, as an episode file may name it: "Sjukhus H / Avd 12"."""
    return f"{ward.parent.name} / {ward.name}" if ward.parent else ward.name


class Membership(models.Model):
    """A user's role in one organisation; a user with several picks one per session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("organisation__name", "role")
        constraints = (
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_membership_per_role"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        if self.role not in Role.values or self.organisation_id is None:
            return  # the fields' own validation reports it
        kinds = ROLE_KINDS[Role(self.role)]
        if self.organisation.kind not in kinds:
            names = ", ".join(str(kind.label) for kind in Kind if kind in kinds)
            message = _("%(role)s belongs to: %(kinds)s.") % {
                "role": Role(self.role).label,
                "kinds": names,
            }
            raise ValidationError({"role": message})


# HSA-id (Inera's catalogue, carried by the SITHS card): SE, the organisation number (10 digits,
# or 12 with the century prefix 16), a hyphen and the catalogue's own part; 31 characters at most.
# ASCII only: [0-9], not \d. Stored in capitals, so one person cannot be two rows.
HSA_ID = re.compile(r"SE(?:16)?[0-9]{10}-[A-Z0-9]{1,18}")
HSA_ID_MAX_LENGTH = 31


def normalise_hsa_id(value: str) -> str | None:
    """The HSA-id in capitals, or None when `value` is not one."""
    # ASCII before the capitals: "ı".upper() and "ſ".upper() are ASCII letters.
    candidate = value.strip().upper() if value.isascii() else ""
    if len(candidate) > HSA_ID_MAX_LENGTH or not HSA_ID.fullmatch(candidate):
        return None
    return candidate


def validate_hsa_id(value: str) -> None:
    if normalise_hsa_id(value) is None:
        raise ValidationError(
            _(
                "An HSA-id is SE, the organisation number (10 digits), a hyphen and letters or "
                "digits, at most 31 characters: e.g. SE2321000032-1234."
            )
        )


class StaffIdentity(models.Model):
    """The HSA-id of a member of staff: how a sign-in through the identity provider finds the
    user, and so the memberships. An HSA-id no user has is refused, never given an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="identity",
    )
    hsa_id = models.CharField(
        _("HSA-id"),
        max_length=HSA_ID_MAX_LENGTH,
        unique=True,
        validators=[validate_hsa_id],
        help_text=_("From the person's SITHS card, e.g. SE2321000032-1234."),
    )

    class Meta:
        verbose_name = _("HSA-id")
        verbose_name_plural = _("HSA-ids")

    def __str__(self) -> str:
        return self.hsa_id

    def clean(self) -> None:
        # Before the uniqueness check, so a lower-case copy of a stored HSA-id is refused too.
        self.hsa_id = normalise_hsa_id(self.hsa_id) or self.hsa_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)


class ProviderSession(models.Model):
    """A session begun at the identity provider, by its subject and session id (`sub`, `sid`):
    what a back-channel logout names, so the sessions it ends can be found and deleted."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sub = models.CharField(max_length=255, db_index=True)
    sid = models.CharField(max_length=255, blank=True, db_index=True)
    created = models.DateTimeField(default=timezone.now)


class ApiKey(models.Model):
    """A system's credential acting as one membership: the SHA-256 of the key is stored, the key
    shown once. It ends at `expires` or when revoked (kept, so the audit log can name it)."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="api_keys"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return self.name

    def valid_at(self, now: datetime) -> bool:
        return self.revoked is None and now < self.expires
