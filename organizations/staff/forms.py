"""Django forms of the admin panel's actions (CSRF comes with the admin's views); the rules on
names, emails and passwords stay in the services, whose errors are put back on the fields."""

from __future__ import annotations

from django import forms

from kernel.errors import AppError
from tenancy.documents import Org

# Which form field an application error code belongs to (others are shown above the form).
_FIELD_OF_CODE = {
    "invalid_name": "name",
    "reserved_name": "name",
    "org_name_taken": "name",
    "invalid_email": "email",
    "email_taken": "email",
    "invalid_password": "password",
    "weak_password": "password",
    "password_too_long": "password",
    "invalid_reason": "reason",
}


def _password(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


class ServiceForm(forms.Form):
    def add_app_error(self, exc: AppError) -> None:
        """Show a service's error on the field it concerns, or above the form."""
        field = _FIELD_OF_CODE.get(exc.code)
        self.add_error(field if field in self.fields else None, exc.message)


class _NewPassword(ServiceForm):
    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


class CreateOrgForm(_NewPassword):
    name = forms.CharField(label="Organization name", max_length=100)
    email = forms.CharField(label="Admin email", max_length=254)
    password = _password("Admin password")
    password2 = _password("Admin password (again)")


class RenameForm(ServiceForm):
    name = forms.CharField(label="New name", max_length=100)


class ResetPasswordForm(_NewPassword):
    admin = forms.ChoiceField(label="Admin")
    password = _password("New password")
    password2 = _password("New password (again)")

    def __init__(self, *args, admins: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin"].choices = admins


class DeleteForm(ServiceForm):
    confirmation = forms.CharField(
        label="Type the organization's name or slug to confirm", max_length=200, strip=True
    )

    def __init__(self, *args, org: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"]
        if typed not in (self.org.name, self.org.slug):
            raise forms.ValidationError("This is not the organization's name or slug.")
        return typed


class ConfirmForm(ServiceForm):
    """A confirmation with nothing to fill in (reconcile)."""


class SuspendForm(ServiceForm):
    reason = forms.CharField(
        label="Reason (shown with the organization's metadata)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
