"""The forms of the web UI; the process's own checks stay in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.domain.identity import parse_personal_number
from utskrivning.organisations.models import Kind, Organisation

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Episode file"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return bytes(upload.read())


CARE_TYPES = [
    ("somatic", _("Somatic")),
    ("geriatric", _("Geriatric")),
    ("psychiatric", _("Psychiatric")),
]


class AdmitForm(forms.Form):
    """The admission: the personnummer is validated here, once, into a value type."""

    personal_number = forms.CharField(label=_("Personnummer"), max_length=13)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
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
    care_type = forms.ChoiceField(label=_("Care type"), choices=CARE_TYPES)
    primary_care_unit = forms.ModelChoiceField(
        label=_("Primary care unit"),
        queryset=Organisation.objects.filter(kind=Kind.PRIMARY_CARE),
        required=False,
    )
    support_needed = forms.BooleanField(
        label=_("Support may be needed after discharge"), required=False, initial=True
    )

    def clean_personal_number(self) -> str:
        """Checked here for a quick answer; the service parses it again into its value type."""
        text: str = self.cleaned_data["personal_number"]
        try:
            parse_personal_number(text, today=timezone.localdate())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return text
