"""The form for a new API token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from accountable.org.models import Person
from accountable.tokens.models import Scope
from accountable.tokens.services import scopes_allowed

ACCESS = {
    "read": ("Read only: fetch the data you can see", [Scope.READ]),
    "write": ("Read and write: also upload data in bulk", [Scope.READ, Scope.WRITE]),
}
LIFETIMES = [(30, "In 30 days"), (90, "In 90 days"), (365, "In a year"), (0, "Never")]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What will use it, e.g. “CRM nightly sync”, so you know what to revoke later.",
    )
    access = forms.ChoiceField(label="Access")
    expires = forms.TypedChoiceField(
        choices=LIFETIMES,
        coerce=int,
        initial=90,
        label="Expires",
        help_text="A token that expires is one less secret to forget about.",
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(scopes_allowed(person))
        self.fields["access"].choices = [
            (key, label) for key, (label, scopes) in ACCESS.items() if set(scopes) <= allowed
        ]
        self.fields["access"].help_text = (
            "Either way the token sees only what you see."
            if Scope.WRITE in allowed
            else "The token sees only what you see. Uploading data is for admins and managers."
        )

    @property
    def scopes(self) -> list[str]:
        return list(ACCESS[self.cleaned_data["access"]][1])

    @property
    def expires_at(self) -> datetime | None:
        days = self.cleaned_data["expires"]
        return timezone.now() + timedelta(days=days) if days else None
