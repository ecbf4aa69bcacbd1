"""The header's membership and the role checks templates need, from the request in context."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from utskrivning.domain.payment.reasons import Reasons
from utskrivning.lib.date_inputs import Kind, date_input
from utskrivning.lib.groups import rulebook_name
from utskrivning.lib.numbers import days, kronor
from utskrivning.organisations.models import Membership
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import current_membership
from utskrivning.payment import texts
from utskrivning.web.labels import label
from utskrivning.web.refusals import refusal as refusal_text
from utskrivning.web.start import has_worklist

register = template.Library()


@register.simple_tag(takes_context=True, name="current_membership")
def current_membership_tag(context: dict[str, Any]) -> Membership | None:
    # A view that already looked the membership up passes it; the login page does not.
    if context.get("membership") is not None:
        return context["membership"]
    request = context.get("request")
    return current_membership(request) if request is not None else None


@register.simple_tag(takes_context=True)
def nav_link(context: dict[str, Any], url_name: str, text: str) -> str:
    """A navigation link, marked `aria-current="page"` on its own section's pages (the
    worklist's section is its own page only: "/" begins every address)."""
    url = reverse(url_name)
    path = context["request"].path
    current = path == url or (url != "/" and path.startswith(url))
    marker = mark_safe(' aria-current="page"') if current else ""
    return format_html('<a href="{}"{}>{}</a>', url, marker, text)


@register.filter
def may(membership: Membership | None, action: str) -> bool:
    return can(membership, Action(action))


@register.filter(name="has_worklist")
def has_worklist_filter(membership: Membership | None) -> bool:
    return has_worklist(membership)


@register.filter(name="label")
def label_filter(value: object, kind: str | None = None) -> object:
    return label(value, kind)


def _decimal(value: Any) -> Decimal | None:
    """A stored basis keeps its amounts and days as JSON text ("74400", "8.00"): read exactly."""
    return None if value is None or value == "" else Decimal(str(value))


@register.filter
def kr(amount: Any) -> str:
    """65 100 kr: Swedish thousands and decimal comma."""
    return kronor(_decimal(amount))


@register.filter(name="days")
def days_filter(value: Any) -> str:
    """2,45"""
    return days(_decimal(value))


@register.filter
def line_reason(line: Any) -> str:
    """The invoice line's reason in the reader's language, with what moved its day 1."""
    return texts.line_reason(line.reason, line.moved_by, line.moved_days)


@register.filter
def assumption(text: str) -> str:
    """An assumption the invoice basis rests on, in the reader's language."""
    return texts.assumption_text(text)


@register.filter
def group(name: str) -> str:
    """A rulebook's care-type group in the reader's language ("all" → "alla vårdformer")."""
    return texts.group_text(name)


@register.filter
def explanation_step(step: str) -> str:
    """A step of the payment explanation in the reader's language."""
    return texts.explanation_step(step)


@register.filter
def invoice_reason(reason: Reasons | str) -> str:
    """Why an invoice is liable or not, in the reader's language ("" for an invoice that is not
    there, such as a corrected basis's that the correction emptied)."""
    return texts.reason_text(reason) if isinstance(reason, Reasons) else reason


@register.filter
def refusal(reason: object) -> str:
    """A refusal of the domain or a service (an import job's stored error, with its template
    and values where it has them) in the reader's language."""
    return refusal_text(reason)


@register.filter(name="rulebook_name")
def rulebook_name_filter(title: str) -> str:
    """A rulebook's title in the reader's language."""
    return rulebook_name(title)


@register.simple_tag(name="date_input")
def date_input_tag(
    name: str, kind: Kind, value: object = "", *, id: str, required: bool = False
) -> str:
    """A date typed as ÅÅÅÅ-MM-DD whatever the browser's language (`lib.date_inputs`)."""
    return date_input(name, kind, value, id=id, required=required)
