"""The record of every import: what came in, how it was read, and what happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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
