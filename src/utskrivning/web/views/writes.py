"""A form's write through a service: the service's refusals become the form's errors, in Swedish.

The services speak English (the API's messages); the same sentences are msgids in the web's
locale, so the page translates them at run time, as the episode page does with the process's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from utskrivning.domain.process import TransitionError
from utskrivning.lib.errors import ConflictError, NotVisibleError
from utskrivning.web.refusals import refusal, refusals

T = TypeVar("T")
# The API's field names where the form's differ (the form names episodes by their file id).
_FIELDS = {"corrected_episode_id": "corrected_episode"}


def attempt(form: forms.Form, write: Callable[[], T]) -> T | None:
    """`write()`'s answer, or None with the refusal on the form (a field's when it names one)."""
    try:
        return write()
    except NotVisibleError:
        raise Http404 from None
    except TransitionError as refused:
        form.add_error(None, refusal(refused.reason))
    except PermissionDenied as refused:
        form.add_error(None, _(str(refused) or "Your role may not take this step."))
    except ConflictError as refused:
        form.add_error(None, refusal(str(refused)))
    except ValidationError as invalid:
        for field, messages in refusals(invalid).items():
            field = _FIELDS.get(field, field)
            shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if shown else None, messages)
    return None


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def refused_status(request: HttpRequest, form: forms.Form) -> int:
    """htmx swaps only 2xx answers; a plain form post gets the refusal's proper status."""
    return 422 if form.errors and not is_htmx(request) else 200
