"""A form whose numbers, dates and choices are written in ASCII digits only.

Django's fields read other digits quietly: `DateField` through `strptime` ("２０２６-01" is
January 2026), `IntegerField` and a `ModelChoiceField`'s id through `int()` ("٣" is 3). Every
form of the service derives from this one, so a field added later is covered without a thought.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from utskrivning.lib.digits import has_other_digits


class AsciiDigitsForm(forms.Form):
    """Refuses, naming the field, any value of a field that is not free text (numbers, dates,
    choices, ids) holding a digit other than 0-9; free text keeps whatever digits it was given."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if type(field) is forms.CharField or isinstance(field, forms.FileField):
                continue
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = raw if isinstance(raw, list) else [raw]
            if any(isinstance(v, str) and has_other_digits(v) for v in values):
                self.add_error(name, _("Write the digits as 0-9."))
        return data
