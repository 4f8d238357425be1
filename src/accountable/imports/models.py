"""The record of every import: what came in, how it was read, and what happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accountable.imports.errors import clipped

# The most warnings a run keeps in its summary; the rest are counted.
WARNINGS_KEPT = 100


class ImportRun(models.Model):
    """One file (or API batch) through the import pipeline.

    A run is previewed first; applying it writes everything or nothing. The
    uploaded file and the rejected rows are kept under `var/imports/<id>/`.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded (not previewed yet)"
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected (nothing applied)"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Browser upload"
        CLI = "cli", "Command line"
        API = "api", "API"

    kind = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    preset = models.CharField(max_length=40, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    def save(self, *args, **kwargs) -> None:
        # Whatever writes the summary (the wizard, the pipeline, a failure), its messages
        # are kept short here, in one place: a message quoting a 512 MB cell once made
        # the imports pages take seconds and weigh half a gigabyte.
        fields = kwargs.get("update_fields")
        if fields is None or "summary" in fields:
            self.summary = summary_clipped(self.summary)
        super().save(*args, **kwargs)


def summary_clipped(summary: object) -> object:
    """A run's summary with its messages cut short (`errors.clipped`): the error, each
    warning (and at most WARNINGS_KEPT of them) and the reasons of the rejects shown.
    A new dict: the summary handed back to the caller of an import is left whole."""
    if not isinstance(summary, dict):
        return summary
    short = dict(summary)
    if isinstance(summary.get("error"), str):
        short["error"] = clipped(summary["error"])
    warnings = summary.get("warnings")
    if isinstance(warnings, list):
        short["warnings"] = [clipped(warning) for warning in warnings[:WARNINGS_KEPT]]
        if len(warnings) > WARNINGS_KEPT:
            short["warnings"].append(f"… and {len(warnings) - WARNINGS_KEPT:,} more warnings")
    shown = summary.get("rejects_shown")
    if isinstance(shown, list):
        short["rejects_shown"] = [
            [entry[0], clipped(entry[1])]
            if isinstance(entry, list | tuple) and len(entry) == 2
            else entry
            for entry in shown
        ]
    return short


class SavedMapping(models.Model):
    """A column mapping kept by name, so next month's export of the same CRM report
    maps itself: `columns` says which column of the file feeds each field of the
    generic format (`{"owner_email": "Opportunity Owner", ...}`)."""

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20)
    columns = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"
