from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role
from .services import MAX_TOKEN_DAYS

# <input type="date"> takes and gives ISO dates; the browser shows them in its own way. Without
# the format, Django would write the language's first input format ("01-01-2017"), which a date
# input rejects as empty.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class PasswordChangeForm(forms.Form):
    """One's own new password; the rules are checked by services.password_change."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") != data.get("new_password1"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class ForcePasswordChangeForm(forms.Form):
    temporary_password = forms.CharField(
        label=_("Temporary password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "For a forgotten password: give it to the user by a safe channel. Leave empty to "
            "keep their password and only make them change it."
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RoleGrantForm(forms.Form):
    """Grant a role. The choices are narrowed to what the caller may grant; the service decides."""

    user = forms.CharField(
        label=_("User (username or NIP)"),
        max_length=150,
        help_text=_("The account that receives the role."),
    )
    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_("The unit whose subtree the role covers. Empty for instansi-wide roles."),
    )
    valid_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("Until (last day)"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, scope, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]

    def clean_user(self):
        from .lockout import identity_for

        typed = self.cleaned_data["user"]
        username = identity_for(typed)
        user = (
            User.objects.filter(username__iexact=username, is_active=True)
            .filter(Q(instansi_id=self.scope.instansi_id) | Q(instansi__isnull=True))
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No active account “%(user)s”.") % {"user": typed})
        return user


class RoleGrantEndForm(forms.Form):
    on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("From this day the role no longer applies. Empty: at once."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
