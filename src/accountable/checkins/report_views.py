"""The self-reports page: one's own report for the open due day (numbers filled in),
one's late days and past reports; for a manager, their people's latest reports, who
is late, and the shorter cadences proposed for them to confirm or decline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.checkins import self_reports as reports
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import CadenceProposal, ProposalState, SelfReport
from accountable.checkins.report_forms import SelfReportForm
from accountable.checkins.services import may_run
from accountable.org import abilities
from accountable.org.models import Role
from accountable.org.scoping import ability_required, visible_people

SHOWN = 12


@ability_required(abilities.SEE_PERSON)
def report_page(request):
    user = request.user
    today = timezone.localdate()
    may_report = abilities.may(user, abilities.SELF_REPORT, user)
    form = SelfReportForm(request.POST or None) if may_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not report on a cadence.")
        if form.is_valid():
            try:
                made = reports.report_submit(actor=user, person=user, **form.cleaned_data)
            except CheckinError as error:
                form.add_error(None, str(error))
            else:
                late = " (late)" if made.late else ""
                messages.success(
                    request,
                    f"Reported for {made.due_on:%a} {made.due_on.day} {made.due_on:%b}{late}.",
                )
                return redirect("checkins:reports")
    people = visible_people(user).filter(role=Role.REP, is_active=True).exclude(pk=user.pk)
    shown = list(people.order_by("name")[:200])
    latest: dict[int, SelfReport] = {}
    for report in SelfReport.objects.filter(person__in=shown).order_by("due_on"):
        latest[report.person_id] = report  # the last due day wins
    late = reports.late_by_person(shown, today)
    cadences = reports.cadences_of(shown)
    theirs = [
        (person, latest.get(person.pk), late.get(person.pk, []), cadences[person.pk])
        for person in shown
    ]
    due_on = reports.open_due(user, today) if may_report else None
    context = {
        "form": form,
        "due_on": due_on,
        "numbers": reports.numbers(user, min(due_on, today)) if due_on else None,
        "cadence": reports.cadence_of(user),
        "late": reports.late_days(user, today) if may_report else [],
        "mine": list(SelfReport.objects.filter(person=user)[:SHOWN]),
        "theirs": theirs,
        "proposals": [
            p
            for p in CadenceProposal.objects.filter(
                person__in=people, state=ProposalState.PENDING
            ).select_related("person")
            if may_run(user, p.person)
        ],
        "today": today,
    }
    return render(request, "checkins/reports.html", context)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def proposal_decide(request, pk: int):
    proposal = (
        CadenceProposal.objects.filter(pk=pk, person__in=visible_people(request.user))
        .select_related("person")
        .first()
    )
    if proposal is None:
        raise PermissionDenied("No such proposal among those you may see.")
    decision = request.POST.get("decision")
    if decision not in ("confirm", "decline"):
        messages.error(request, "Choose: confirm the shorter cadence, or decline it.")
        return redirect("checkins:reports")
    confirm = decision == "confirm"
    try:
        reports.proposal_decide(
            actor=request.user,
            proposal=proposal,
            confirm=confirm,
            note=request.POST.get("note", ""),
        )
    except (CheckinError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        said = "reports twice a week from now" if confirm else "keeps their cadence"
        messages.success(request, f"{proposal.person.name} {said}; recorded.")
    return redirect("checkins:reports")
