from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from utskrivning.lib.forms import AsciiDigitsForm
from utskrivning.organisations.models import Membership


class ChooseMembershipForm(AsciiDigitsForm):
    membership = forms.ModelChoiceField(
        label=_("Act as"),
        queryset=Membership.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(user=user).select_related("organisation")
        field.label_from_instance = lambda m: f"{m.organisation} – {m.get_role_display()}"
