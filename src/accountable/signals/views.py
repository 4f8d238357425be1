"""The watchlist, a warning's page (where a manager acknowledges or resolves it), and the
admin's warning thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accountable.org import abilities
from accountable.org.models import Team
from accountable.org.scoping import ability_required, can_manage_person, visible_teams
from accountable.signals import services
from accountable.signals.forms import ThresholdsForm
from accountable.signals.selectors import (
    STATUS_FILTERS,
    run_latest,
    thresholds_get,
    warning_get,
    warning_history,
    warning_list,
)
from accountable.signals.summaries import evidence_rows
from accountable.signals.thresholds import INFO

STATUS_WORDS = {
    "live": "Open and acknowledged",
    "open": "Open",
    "acknowledged": "Acknowledged",
    "resolved": "Resolved",
}
STATUSES = {key: (STATUS_FILTERS[key], words) for key, words in STATUS_WORDS.items()}
# Badge classes of the shared stylesheet, by severity and by status.
SEVERITY_BADGE = {"high": "missing", "medium": "priority", "low": "goal-draft"}
STATUS_BADGE = {"open": "status-open", "acknowledged": "allocation-over", "resolved": "goal-done"}


def _decorate(warning):
    warning.severity_badge = SEVERITY_BADGE[warning.severity]
    warning.status_badge = STATUS_BADGE[warning.status]
    return warning


def watchlist(request):
    """Live warnings by default; ``?status=`` picks others, ``?team=<id>`` one team (and
    the teams below it) of those the viewer may see, as the team board links to it."""
    status = request.GET.get("status", "live")
    statuses, label = STATUSES.get(status, STATUSES["live"])
    team = _team_chosen(request)
    warnings = [_decorate(w) for w in warning_list(request.user, statuses=statuses, team=team)]
    context = {
        "warnings": warnings,
        "status": status if status in STATUSES else "live",
        "statuses": [(key, words) for key, (_s, words) in STATUSES.items()],
        "label": label,
        "team": team,
        "run": run_latest(),
    }
    return render(request, "signals/watchlist.html", context)


def _team_chosen(request) -> Team | None:
    """The ``?team=`` of the request, if it is a team the viewer may see; else None
    (everyone in reach: a team out of reach shows nothing of it, not even its name)."""
    chosen = request.GET.get("team", "")
    if not chosen.isdigit():
        return None
    return visible_teams(request.user).filter(pk=int(chosen)).first()


def warning(request, pk: int):
    found = _decorate(warning_get(request.user, pk))
    context = {
        "warning": found,
        "history": warning_history(request.user, found),
        "evidence": evidence_rows(found.evidence, found.kind),
        "can_handle": can_manage_person(request.user, found.person),
    }
    return render(request, "signals/warning.html", context)


def _handle(request, pk: int, service, done: str):
    found = warning_get(request.user, pk)
    if not can_manage_person(request.user, found.person):
        raise PermissionDenied("Only the person's managers and admins handle their warnings.")
    try:
        service(actor=request.user, warning=found, note=request.POST.get("note", ""))
    except services.SignalsError as error:
        messages.error(request, f"Nothing was changed: {error}")
    else:
        messages.success(request, done)
    return redirect("signals:warning", pk=found.pk)


@require_POST
def warning_acknowledge(request, pk: int):
    return _handle(request, pk, services.warning_acknowledge, "Acknowledged, with your note.")


@require_POST
def warning_resolve(request, pk: int):
    return _handle(request, pk, services.warning_resolve, "Resolved, with your note.")


@ability_required(abilities.ADMINISTER)
def thresholds_settings(request):
    """Every threshold with its default and meaning; save, or put one or all back."""
    reset = request.POST.get("reset", "") if request.method == "POST" else ""
    form = ThresholdsForm(
        request.POST if request.method == "POST" and not reset else None,
        current=thresholds_get(),
    )
    if request.method == "POST":
        if reset:
            names = list(INFO) if reset == "all" else [reset]
            changes = {name: None for name in names}
        else:
            changes = form.changes() if form.is_valid() else {}
        try:
            services.thresholds_update(actor=request.user, changes=changes)
        except services.SignalsError as error:
            if form.is_bound:
                form.add_domain_errors(error.errors or {"__all__": str(error)})
            messages.error(request, f"Nothing was changed: {_nothing_saved(form, error)}")
        else:
            messages.success(request, _saved(reset))
            return redirect("signals:thresholds")
    groups = form.groups()
    changed = sum(row.changed for _key, _title, rows in groups for row in rows)
    context = {"form": form, "groups": groups, "changed_count": changed, "run": run_latest()}
    return render(request, "signals/thresholds.html", context)


def _nothing_saved(form: ThresholdsForm, error: services.SignalsError) -> str:
    return "fix the values marked below." if form.is_bound else str(error)


def _saved(reset: str) -> str:
    if reset == "all":
        done = "Every threshold is back to its default."
    elif reset:
        done = f"{reset} is back to its default."
    else:
        done = "Warning thresholds saved."
    return f"{done} They apply from the next run of the warning engine."
