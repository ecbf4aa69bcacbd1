from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
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


class PasswordLoginForm(AuthenticationForm):
    """Django's login form, refusing a right password of anyone in an organisation whose
    administrator turned passwords off (`Organisation.password_login`): its staff sign in
    through the identity provider, whatever other memberships they have."""

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        super().confirm_login_allowed(user)
        closed = Membership.objects.filter(user=user, organisation__password_login=False)
        names = sorted({m.organisation.name for m in closed.select_related("organisation")})
        if names:
            raise ValidationError(
                _(
                    "Logging in with a password is turned off for %(organisations)s: log in "
                    "with your e-service card."
                ),
                code="passwords_off",
                params={"organisations": ", ".join(names)},
            )
