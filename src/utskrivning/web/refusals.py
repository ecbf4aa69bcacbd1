"""A refusal of the domain or a service (English: the API's and the CLI's words) in the reader's
language, at the web edge. A refusal with values comes with its template and values (a domain
`Refusal`, a service's `ValidationError(message, params=...)`, an import job's stored error): the
template is a msgid of the web's catalogue, filled with the same values. A fixed sentence is a
msgid itself, as the process's are. No sentence is matched back to a template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from utskrivning.domain.refusals import Refusal


def _template(reason: Any) -> tuple[str | None, Mapping[str, Any]]:
    if isinstance(reason, Refusal):
        return reason.template, reason.values
    if isinstance(reason, ValidationError) and hasattr(reason, "message"):
        return str(reason.message), reason.params or {}
    if isinstance(reason, Mapping) and reason.get("template"):
        return str(reason["template"]), reason.get("values") or {}
    return None, {}


def refusal(reason: Any) -> str:
    """`reason` in the reader's language: a refusal with its template and values, a stored import
    error (a dict with `reason`), or a fixed sentence."""
    template, values = _template(reason)
    if template is not None:
        return _(template) % values if values else _(template)
    text = str(reason["reason"] if isinstance(reason, Mapping) else reason)
    return _(text) if text else text


def refusals(invalid: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError by field ("" when it names none), each message translated
    from its template and params."""
    if hasattr(invalid, "error_dict"):
        return {
            field: [refusal(error) for error in errors]
            for field, errors in invalid.error_dict.items()
        }
    return {"": [refusal(error) for error in invalid.error_list]}
