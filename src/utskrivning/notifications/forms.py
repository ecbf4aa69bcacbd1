"""A person's choices: what they hear about, and whether and when by e-mail."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from utskrivning.lib.forms import AsciiDigitsForm
from utskrivning.notifications.kinds import kinds_for
from utskrivning.notifications.models import MAX_URL, EmailMode, NoticeKind
from utskrivning.organisations.models import Membership

MAX_TIMES = 4
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def parse_times(text: str) -> list[str]:
    """ "07:00, 13:30" → ["07:00", "13:30"]: ASCII digits, 24-hour clock, at most four, sorted."""
    times = sorted({t.strip() for t in text.split(",") if t.strip()})
    if len(times) > MAX_TIMES:
        raise forms.ValidationError(_("At most four times."))
    if any(not _TIME.fullmatch(t) for t in times):
        raise forms.ValidationError(_("Write each time as HH:MM, e.g. 07:30."))
    return times


class SettingsForm(AsciiDigitsForm):
    kinds = forms.MultipleChoiceField(
        label=_("Tell me about"), widget=forms.CheckboxSelectMultiple, required=False
    )
    mode = forms.ChoiceField(
        label=_("By e-mail"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    digest_times = forms.CharField(
        label=_("Digest times"),
        required=False,
        max_length=40,
        help_text=_("Comma-separated, e.g. 07:30, 13:00 (Swedish time)."),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)

    def __init__(
        self,
        *args: Any,
        kinds: list[NoticeKind] | None = None,
        membership: Membership | None = None,
        **kwargs: Any,
    ) -> None:
        """The kinds offered: those given (an organisation's mailbox: all), else the person's."""
        super().__init__(*args, **kwargs)
        field = self.fields["kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        offered = kinds if kinds is not None else kinds_for(membership) if membership else []
        field.choices = [(k.value, k.label) for k in offered]

    def clean_digest_times(self) -> list[str]:
        return parse_times(self.cleaned_data.get("digest_times") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("mode")
        if mode in (EmailMode.IMMEDIATE, EmailMode.DIGEST) and not data.get("email"):
            self.add_error("email", _("An e-mail address is needed to send e-mail."))
        if mode == EmailMode.DIGEST and not data.get("digest_times"):
            self.add_error("digest_times", _("Give at least one time for the digest."))
        return data


class WebhookForm(AsciiDigitsForm):
    url = forms.CharField(
        label=_("Address"),
        max_length=MAX_URL,
        help_text=_("https:// (or http:// without patient data); the system's own address."),
    )
    patient_data = forms.BooleanField(
        label=_("Include the patient's name and personnummer (HTTPS only)"), required=False
    )
