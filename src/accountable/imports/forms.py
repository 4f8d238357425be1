"""The import wizard's forms: upload, column mapping, and mapping unknown names."""

from __future__ import annotations

from django import forms

from accountable.crm.models import Account, Product, Stage
from accountable.imports import crm_stages
from accountable.imports.formats import FIELDS, KINDS
from accountable.imports.models import SavedMapping
from accountable.imports.names import CREATABLE, CREATE, EVERY_UNKNOWN
from accountable.imports.presets import preset_choices, preset_get
from accountable.imports.readers import UPLOAD_MAX_BYTES, megabytes
from accountable.org import abilities
from accountable.org.abilities import IMPORT_ABILITIES, may
from accountable.org.models import Person
from accountable.org.scoping import visible_people

KIND_LABELS = {
    "people": "People and teams",
    "deals": "Deals (opportunities)",
    "activities": "Activities (calls, e-mails, meetings…)",
    "targets": "Targets (quotas)",
    "feedback": "Customer feedback",
    "time_off": "Time off (days away)",
    "forecasts": "Forecasts (past weekly calls)",
    "accounts": "Accounts (customers)",
    "products": "Products",
}


def kinds_for(actor: Person) -> list[str]:
    """What this person may import (the table of abilities): admins everything, managers
    their teams' work."""
    return [kind for kind in KINDS if may(actor, IMPORT_ABILITIES[kind])]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds")
    preset = forms.ChoiceField(
        label="Exported from",
        choices=preset_choices(),
        help_text="Sets the column names to expect; you can change each one next.",
    )
    saved_mapping = forms.ModelChoiceField(
        queryset=SavedMapping.objects.all(),
        required=False,
        label="Or use a saved mapping",
        empty_label="— none —",
    )
    file = forms.FileField(
        label="CSV or Excel file",
        allow_empty_file=True,  # the reader says "empty (0 bytes)" in the import's own words
        help_text="CSV (any delimiter, UTF-8 or Windows encoding) or .xlsx (first sheet).",
    )

    def __init__(self, *args, actor: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds_for(actor)]
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx,.xlsm"

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        # Checked before the file is read at all; the readers' own limits (rows, columns,
        # a workbook's unpacked size) follow when it is read.
        if uploaded.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {megabytes(uploaded.size)}, more than the "
                f"{megabytes(UPLOAD_MAX_BYTES)} an upload may hold; import it with the "
                "command line (accountable import) or split it."
            )
        return uploaded

    def clean(self):
        data = super().clean()
        kind, preset, saved = data.get("kind"), data.get("preset"), data.get("saved_mapping")
        if kind and preset and preset != "generic" and kind not in preset_get(preset).kinds:
            self.add_error("preset", f"This preset has no layout for {kind}; choose Generic.")
        if kind and saved and saved.kind != kind:
            self.add_error("saved_mapping", f'"{saved.name}" is a mapping for {saved.kind}.')
        return data


class MappingForm(forms.Form):
    """One select per field of the generic format: which column of the file feeds it."""

    save_as = forms.CharField(
        label="Save this mapping as",
        required=False,
        max_length=80,
    )

    def __init__(self, *args, kind: str, columns: list[str], sample: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [
            (c, f"{c} (e.g. {sample[c]})" if sample.get(c) else c) for c in columns
        ]
        self.specs = []
        for spec in FIELDS[kind]:
            self.fields[spec.name] = forms.ChoiceField(
                label=spec.name, choices=choices, required=False, help_text=spec.help
            )
            self.specs.append(spec)
        self.fields["save_as"] = self.fields.pop("save_as")

    def clean(self):
        data = super().clean()
        for spec in self.specs:
            if spec.required and not data.get(spec.name):
                self.add_error(spec.name, "Required: choose the column that holds it.")
        return data

    def columns(self) -> dict[str, str]:
        return {spec.name: self.cleaned_data[spec.name] for spec in self.specs}

    def field_rows(self):
        return [(self[spec.name], spec) for spec in self.specs]


ENTITY_LABELS = {"owner": "Owner", "account": "Account", "product": "Product", "stage": "Stage"}


def _options(entity: str, actor: Person, name: str) -> list[tuple[str, str]]:
    if entity == "owner":
        people = visible_people(actor).filter(is_active=True).order_by("name")
        return [(p.email, f"{p.name} <{p.email}>") for p in people]
    if entity == "stage":
        stages = [(s.name, s.name) for s in Stage.objects.order_by("order")]
        standard = crm_stages.standard_probability(name)
        if standard is None or not abilities.may(actor, abilities.EDIT_PIPELINE):
            return stages
        return [(CREATE, f"Add it to the pipeline at {standard} %"), *stages]
    model = Account if entity == "account" else Product
    noun = "account" if entity == "account" else "product"
    existing = [
        (name, name) for name in model.objects.order_by("name").values_list("name", flat=True)
    ]
    return [(CREATE, f"Create it as a new {noun}"), *existing]


CREATE_ALL = {
    "stage": "Add every other unknown stage that is a CRM's standard one, at its standard "
    "probability"
}


def _may_create(entity: str, actor: Person) -> bool:
    """Stages are added by the pipeline's editors; accounts and products by any importer."""
    return entity != "stage" or abilities.may(actor, abilities.EDIT_PIPELINE)


class NamesForm(forms.Form):
    """A select per unknown (or already mapped) name: the record it means."""

    def __init__(
        self, *args, actor: Person, unknown: dict[str, list[str]], current: dict, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[tuple[str, str, str]] = []  # field, entity, name
        for entity in ("owner", "account", "product", "stage"):
            names = list(dict.fromkeys([*current.get(entity, {}), *unknown.get(entity, [])]))
            names = [n for n in names if n != EVERY_UNKNOWN]
            if not names:
                continue
            for name in names:
                field = f"n{len(self.entries)}"
                self.fields[field] = forms.ChoiceField(
                    label=name,
                    choices=[("", "— leave unknown —"), *_options(entity, actor, name)],
                    required=False,
                    initial=current.get(entity, {}).get(name, ""),
                )
                self.entries.append((field, entity, name))
            if entity in CREATABLE and _may_create(entity, actor):
                self.fields[f"all_{entity}"] = forms.BooleanField(
                    required=False,
                    label=CREATE_ALL.get(entity, f"Create every other unknown {entity} too"),
                    initial=current.get(entity, {}).get(EVERY_UNKNOWN) == CREATE,
                )

    def groups(self):
        """(entity label, [(bound field, name)], create-all field or None) for the template."""
        grouped: dict[str, list] = {}
        for field, entity, name in self.entries:
            grouped.setdefault(entity, []).append((self[field], name))
        return [
            (ENTITY_LABELS[e], rows, self[f"all_{e}"] if f"all_{e}" in self.fields else None)
            for e, rows in grouped.items()
        ]

    def names(self) -> dict[str, dict[str, str]]:
        mapped: dict[str, dict[str, str]] = {}
        for field, entity, name in self.entries:
            if self.cleaned_data.get(field):
                mapped.setdefault(entity, {})[name] = self.cleaned_data[field]
        for entity in CREATABLE:
            if self.cleaned_data.get(f"all_{entity}"):
                mapped.setdefault(entity, {})[EVERY_UNKNOWN] = CREATE
        return mapped
