"""The self-report form: short, the numbers filled in from the data."""

from __future__ import annotations

from django import forms

from accountable.checkins.self_reports import TEXT_LENGTH


def _text(label: str, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=TEXT_LENGTH,
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SelfReportForm(forms.Form):
    went_well = _text("What went well")
    went_badly = _text("What did not")
    next_step = _text("What I commit to next")
    commit_next = forms.BooleanField(
        required=False,
        initial=True,
        label="Make it a commitment, due on my next report day",
    )
    need = _text("What I need", rows=1)
