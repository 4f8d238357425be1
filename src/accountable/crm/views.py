"""Pages for the sales data: deals, a deal with its history and checklist, activities,
customer feedback, and the manual forms for teams with no CRM.

Every read goes through `crm.selectors` (scoped to the viewer), every write
through `crm.services` (which goes through `crm.upsert`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accountable.crm import selectors, services
from accountable.crm.errors import CrmError
from accountable.crm.forms import (
    ActivityFilterForm,
    ActivityForm,
    DealFilterForm,
    DealForm,
    FeedbackFilterForm,
    FeedbackForm,
    MilestoneToggleForm,
)
from accountable.crm.models import Deal, Milestone
from accountable.org import abilities
from accountable.org.scoping import ability_required
from accountable.org.services import organisation_get


def _currency() -> str:
    return organisation_get().currency


def deals(request):
    form = DealFilterForm(request.GET or None, viewer=request.user)
    deals = selectors.deal_list(request.user, **form.filters())
    context = {
        "form": form,
        "page": selectors.page_of(deals, request.GET.get("page")),
        "totals": selectors.deal_totals(deals),
        "currency": _currency(),
        "can_add": services.can_write_for(request.user, request.user),
    }
    return render(request, "crm/deals.html", context)


def deal(request, pk: int):
    deal = selectors.deal_get(request.user, pk)
    context = {
        "deal": deal,
        "splits": selectors.deal_splits(deal),
        "history": selectors.deal_stage_history(deal),
        "changes": selectors.deal_change_log(deal),
        "activities": selectors.activity_list(request.user, deal=deal)[:10],
        "checklist": selectors.milestones_for(deal),
        "can_edit": services.can_edit_deal(request.user, deal),
        "currency": _currency(),
    }
    return render(request, "crm/deal.html", context)


@ability_required(abilities.WRITE_SALES_DATA)
def deal_new(request):
    return _deal_form(request, deal=None)


@ability_required(abilities.WRITE_SALES_DATA)
def deal_edit(request, pk: int):
    deal = selectors.deal_get(request.user, pk)
    if not services.can_edit_deal(request.user, deal):
        raise PermissionDenied("Only the deal's owner, their managers and admins edit it.")
    return _deal_form(request, deal=deal)


def _deal_form(request, *, deal: Deal | None):
    currency = _currency()
    form = DealForm(request.POST or None, actor=request.user, deal=deal, currency=currency)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.deal_save(actor=request.user, data=form.deal_data(), deal=deal)
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the deal “{saved}”.")
            return redirect("crm:deal", pk=saved.pk)
    return render(request, "crm/deal_form.html", {"form": form, "deal": deal})


@require_POST
def deal_milestone(request, pk: int, milestone_pk: int):
    """Tick or untick a checklist milestone: htmx swaps the checklist, a plain form redirects."""
    deal = selectors.deal_get(request.user, pk)
    milestone = get_object_or_404(Milestone.objects.select_related("stage"), pk=milestone_pk)
    form = MilestoneToggleForm(request.POST)
    error = "Say whether the milestone is done." if not form.is_valid() else ""
    if not error:
        try:
            services.milestone_toggle(
                actor=request.user, deal=deal, milestone=milestone, done=form.cleaned_data["done"]
            )
        except CrmError as problem:
            error = str(problem)
    if request.headers.get("HX-Request"):
        context = {
            "deal": deal,
            "checklist": selectors.milestones_for(deal),
            "can_edit": services.can_edit_deal(request.user, deal),
        }
        return render(request, "crm/_checklist.html", {**context, "error": error, "oob": True})
    if error:
        messages.error(request, error)
    return redirect(reverse("crm:deal", args=[deal.pk]) + "#checklist")


def activities(request):
    form = ActivityFilterForm(request.GET or None, viewer=request.user)
    activities = selectors.activity_list(request.user, **form.filters())
    context = {
        "form": form,
        "page": selectors.page_of(activities, request.GET.get("page")),
        "counts": selectors.activity_counts(activities),
        "can_add": services.can_write_for(request.user, request.user),
    }
    return render(request, "crm/activities.html", context)


@ability_required(abilities.WRITE_SALES_DATA)
def activity_new(request):
    initial = {"deal": request.GET.get("deal")} if request.GET.get("deal", "").isdigit() else {}
    form = ActivityForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_log(actor=request.user, data=form.activity_data())
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            kind = activity.get_kind_display().lower()
            messages.success(request, f"Logged a {kind} for {activity.person}.")
            if activity.deal_id:
                return redirect("crm:deal", pk=activity.deal_id)
            return redirect("crm:activities")
    return render(request, "crm/activity_form.html", {"form": form})


def feedback(request):
    form = FeedbackFilterForm(request.GET or None, viewer=request.user)
    feedback = selectors.feedback_list(request.user, **form.filters())
    context = {
        "form": form,
        "page": selectors.page_of(feedback, request.GET.get("page")),
        "counts": selectors.feedback_counts(feedback),
        "can_add": services.can_record_feedback(request.user),
    }
    return render(request, "crm/feedback.html", context)


@ability_required(abilities.RECORD_FEEDBACK)
def feedback_new(request):
    form = FeedbackForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.feedback_record(actor=request.user, data=form.feedback_data())
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Recorded {saved.get_kind_display().lower()} about {saved.person}."
            )
            return redirect("crm:feedback")
    return render(request, "crm/feedback_form.html", {"form": form})
