from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .services import MAX_TOKEN_DAYS


class LoginForm(AuthenticationForm):
    """Sign in with a username or an 18-digit NIP (see backends.UsernameOrNipBackend)."""

    username = forms.CharField(
        label=_("Username or NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or NIP and password do not match an account. "
            "Check both; the password is case-sensitive."
        ),
        "inactive": _("This account has been deactivated."),
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as the system that will use it."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=90,
    )
