"""The forms of the web UI; the process's own checks stay in the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.api import uploads
from utskrivning.domain.identity import parse_personal_number
from utskrivning.domain.process import Party
from utskrivning.episodes.models import CareType, DeviationCategory
from utskrivning.lib import months
from utskrivning.lib.date_inputs import date_attrs, hint
from utskrivning.lib.forms import AsciiDigitsForm
from utskrivning.lib.text import MAX_ADDRESS, MAX_NAME, MAX_NOTE
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.payment.approvals import REASON_LENGTH
from utskrivning.payment.models import Correction, DisputeOutcome
from utskrivning.web.labels import label
from utskrivning.web.refusals import refusal


class ImportForm(AsciiDigitsForm):
    file = forms.FileField(label=_("Episode file"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return bytes(upload.read())


class AdmitForm(AsciiDigitsForm):
    """The admission: the personnummer is validated here, once, into a value type."""

    personal_number = forms.CharField(label=_("Personnummer"), max_length=13)
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    address = forms.CharField(label=_("Address"), max_length=MAX_ADDRESS, required=False)
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("name"),
        to_field_name="municipality_code",
    )
    placing_municipality = forms.ModelChoiceField(
        label=_("Placing municipality"),
        queryset=Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("name"),
        to_field_name="municipality_code",
        required=False,
    )
    care_type = forms.ChoiceField(label=_("Care type"), choices=CareType.choices)
    primary_care_unit = forms.ModelChoiceField(
        label=_("Primary care unit"),
        queryset=Organisation.objects.filter(kind=Kind.PRIMARY_CARE),
        required=False,
    )
    support_needed = forms.BooleanField(
        label=_("Support may be needed after discharge"), required=False, initial=True
    )
    # Dalarna §6: the admission notice names it; given here, the notice carries it.
    estimated_discharge = forms.DateField(
        label=_("Estimated discharge date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs=date_attrs("date"), format="%Y-%m-%d"),
        help_text=hint("date"),
    )

    def clean_personal_number(self) -> str:
        """Checked here for a quick answer; the service parses it again into its value type."""
        text: str = self.cleaned_data["personal_number"]
        try:
            parse_personal_number(text, today=timezone.localdate())
        except ValueError as error:
            raise forms.ValidationError(refusal(error)) from None
        return text


class DeviationForm(AsciiDigitsForm):
    """A party's own report; missed deadlines are proposed by `deviations_propose` instead."""

    category = forms.ChoiceField(label=_("Category"), choices=DeviationCategory.choices)
    text = forms.CharField(
        label=_("What happened"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(AsciiDigitsForm):
    """A note to the episode's other parties; the service checks who may read it."""

    text = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    parties = forms.MultipleChoiceField(
        label=_("To"),
        choices=[(p.value, p.value) for p in Party],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, sender: Party | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parties"]
        field.choices = [(p.value, label(p)) for p in Party if p is not sender]  # type: ignore[attr-defined]

    def clean_parties(self) -> frozenset[Party]:
        return frozenset(Party(p) for p in self.cleaned_data["parties"])


class DisputeForm(AsciiDigitsForm):
    """The municipality's question: of the line of `episode` (its file id), else of the month."""

    text = forms.CharField(
        label=_("What is questioned"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    episode = forms.CharField(required=False, widget=forms.HiddenInput)


class ApproveForm(AsciiDigitsForm):
    """Approving states nothing but the month; the form carries the service's refusal."""


class ReopenForm(AsciiDigitsForm):
    """Why the region's finance reopens an approved month (kept with the month and audited)."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(AsciiDigitsForm):
    """The region's answer; a `corrected` outcome states its correction (the service checks it)."""

    answer = forms.CharField(
        label=_("Answer"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=DisputeOutcome.choices, widget=forms.RadioSelect
    )
    correction = forms.ChoiceField(
        label=_("Correction"),
        choices=[("", _("No correction")), *Correction.choices],
        required=False,
    )
    corrected_episode = forms.CharField(label=_("Corrected episode"), required=False)
    corrected_ready_at = forms.DateTimeField(
        label=_("Corrected readiness time"),
        required=False,
        widget=forms.DateTimeInput(attrs=date_attrs("minute"), format="%Y-%m-%d %H:%M"),
        help_text=hint("minute"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class FollowupForm(AsciiDigitsForm):
    """The follow-up's filters: a period of whole months and perhaps one category."""

    start = forms.DateField(
        label=_("From month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs=date_attrs("month"), format="%Y-%m"),
        help_text=hint("month"),
    )
    end = forms.DateField(
        label=_("To month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs=date_attrs("month"), format="%Y-%m"),
        help_text=hint("month"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *DeviationCategory.choices],
        required=False,
    )

    def _clean_month(self, name: str) -> date | None:
        month: date | None = self.cleaned_data.get(name)
        if month is not None and not months.in_range(month.year):
            raise forms.ValidationError(
                _("A month from %(first)s to %(last)s.")
                % {"first": months.FIRST_YEAR, "last": months.LAST_YEAR}
            )
        return month

    def clean_start(self) -> date | None:
        return self._clean_month("start")

    def clean_end(self) -> date | None:
        return self._clean_month("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self, today: date) -> tuple[date, date]:
        """[first day, first day after): the given months, else the last twelve up to today's."""
        start, end = (
            (self.cleaned_data["start"], self.cleaned_data["end"])
            if self.is_bound and self.is_valid()
            else (_months_back(today.replace(day=1), 11), today.replace(day=1))
        )
        return start, _months_back(end, -1)

    @property
    def chosen_category(self) -> str:
        if not (self.is_bound and self.is_valid()):
            return ""
        return str(self.cleaned_data.get("category") or "")


def _months_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
