"""The warning thresholds form: one text box per threshold, checked by the domain.

The boxes are plain text on purpose: whether a value is a number, in its range and
not crossing a related edge is decided once, in `thresholds.threshold_check` (via
`services.thresholds_update`), for the page, the API and the command line alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from accountable.signals.rules import TIMES
from accountable.signals.thresholds import DEFAULTS, GROUPS, INFO, ThresholdInfo, Thresholds


def _written(info: ThresholdInfo, value: float | int) -> str:
    """A value as the page shows it next to the box: 0.7 (70 %), 1.3 times, 2."""
    if info.whole:
        return f"{value:g}"
    if info.maximum is not None and info.maximum <= 1.5:
        return f"{value:g} ({value:.0%})"
    return f"{value:g}{TIMES}"


@dataclass(frozen=True)
class ThresholdRow:
    field: forms.BoundField
    info: ThresholdInfo
    current: float | int

    @property
    def default(self) -> str:
        return _written(self.info, self.info.default)

    @property
    def changed(self) -> bool:
        return self.current != self.info.default

    @property
    def range(self) -> str:
        if self.info.whole:
            low = f"a whole number from {self.info.minimum:g}"
            return low + (f" to {self.info.maximum:g}" if self.info.maximum else "")
        if self.info.maximum is not None:
            return f"from {self.info.minimum:g} to {self.info.maximum:g}"
        return f"at least {self.info.minimum:g}"


class ThresholdsForm(forms.Form):
    """Every threshold, shown with its current value; an empty box means the default."""

    def __init__(self, *args, current: Thresholds = DEFAULTS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for name in INFO:
            value = getattr(current, name)
            self.fields[name] = forms.CharField(
                required=False,
                label=name,
                initial=f"{value:g}",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}
                ),
            )

    def changes(self) -> dict[str, str | None]:
        """{name: the value typed, or None (empty: back to the default)}."""
        return {name: (self.cleaned_data.get(name) or "").strip() or None for name in INFO}

    def add_domain_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(None if name not in self.fields else name, message)

    def groups(self) -> list[tuple[str, str, list[ThresholdRow]]]:
        """(group key, its title, its rows) in the page's order."""
        rows: dict[str, list[ThresholdRow]] = {key: [] for key in GROUPS}
        for name, info in INFO.items():
            rows[info.group].append(ThresholdRow(self[name], info, getattr(self.current, name)))
        return [(key, GROUPS[key], rows[key]) for key in GROUPS if rows[key]]
