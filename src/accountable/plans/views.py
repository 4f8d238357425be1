"""The plan pages: one's plans and one's people's, a plan (written, submitted, commented
on, decided), its clean "present to management" view and its versions, its review
against actuals, and the key accounts. Each view parses input, calls one service or
selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.core.changes_from_pages import change_then_back
from accountable.org import abilities
from accountable.org.scoping import ability_required, visible_people
from accountable.org.services import organisation_get
from accountable.plans import selectors, services
from accountable.plans.errors import PlanError
from accountable.plans.forms import (
    AccountPlanForm,
    ActionForm,
    CommentForm,
    DecideForm,
    ReviewForm,
    SectionsForm,
    StartForm,
)
from accountable.plans.models import SECTIONS, ActionState, PlanKind, PlanState

FLAGS_SHOWN = 10  # key accounts needing attention on the plans page; all on Key accounts


def _context(**extra) -> dict:
    return {"currency": organisation_get().currency, **extra}


def _year(today) -> int:
    return selectors.fiscal_year_of(today)


@ability_required(abilities.SEE_PERSON)
def plan_list(request):
    """One's plans, one's people's (those waiting for a decision first), open catch-up
    plans, key accounts that need attention, and a form to start a plan."""
    user, today = request.user, timezone.localdate()
    may_start = abilities.may(user, abilities.WRITE_PLANS, user)
    form = StartForm(request.POST or None) if may_start else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not write plans.")
        if form.is_valid():
            try:
                plan = services.plan_start(actor=user, person=user, **form.cleaned_data)
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Started: {plan}. Due {plan.due_on:%-d %b %Y}.")
                return redirect("plans:detail", pk=plan.pk)
    cal = organisation_get().calendar
    quarter, year = cal.period("quarter", today), cal.period("year", today)
    listed = selectors.plan_list(user)
    people = visible_people(user).exclude(pk=user.pk)
    flags = selectors.account_flags(visible_people(user), _year(today), today)
    return render(
        request,
        "plans/list.html",
        _context(
            form=form,
            mine=[p for p in listed if p.person_id == user.pk],
            theirs=[p for p in listed if p.person_id != user.pk],
            waiting=selectors.waiting_for(user),
            catch_ups=selectors.open_catch_ups(user),
            flags=flags[:FLAGS_SHOWN],
            more_flags=max(len(flags) - FLAGS_SHOWN, 0),
            suggestions=[
                (PlanKind.QUARTERLY, quarter.label),
                (PlanKind.QUARTERLY, quarter.next().label),
                (PlanKind.ANNUAL, year.next().label),
            ],
            has_people=people.exists(),
            today=today,
        ),
    )


def _plan_context(request, plan, sections_form, **extra) -> dict:
    user, today = request.user, timezone.localdate()
    person_may = services.may_write(user, plan.person)
    may_write = person_may and plan.editable
    may_review = abilities.may(user, abilities.REVIEW_PLANS, plan.person)
    breakdown = selectors.plan_breakdown(plan)
    period = services.plan_period(plan)
    year = period.calendar.fiscal_year_of(period.start)
    comments: dict[str, list] = {}
    for comment in plan.comments.select_related("author"):
        comments.setdefault(comment.section, []).append(comment)
    return _context(
        plan=plan,
        breakdown=breakdown,
        measures=selectors.activity_plan(plan, breakdown.target, today),
        to_close=selectors.pipeline_to_close(plan, breakdown.target, today),
        accounts=selectors.account_plans(user, year, person=plan.person),
        actions=list(plan.actions.all()),
        versions=list(plan.versions.select_related("decided_by", "submitted_by")),
        comments=comments,
        sections=[
            {
                "key": key,
                "heading": heading,
                "text": text,
                "field": sections_form[key],
                "comments": comments.get(key, []),
            }
            for key, heading, text in plan.sections()
        ],
        reviews=list(plan.reviews.select_related("signed_off_by")),
        may_write=may_write,
        # Joined to the sections' form where there is one: a comment sends, and saves,
        # what was typed in them.
        comment_form=CommentForm(joined=may_write),
        may_act=person_may,
        may_decide=may_review and plan.state == PlanState.SUBMITTED,
        may_comment=person_may,
        may_review=plan.kind == PlanKind.QUARTERLY and plan.state == PlanState.APPROVED,
        year=year,
        today=today,
        **extra,
    )


@ability_required(abilities.SEE_PERSON)
def plan_detail(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    initial = {key: text for key, _, text in plan.sections()}
    return render(
        request,
        "plans/detail.html",
        _plan_context(
            request,
            plan,
            SectionsForm(initial=initial),
            decide_form=DecideForm(),
            action_form=ActionForm(),
        ),
    )


@ability_required(abilities.SEE_PERSON)
def plan_present(request, pk: int):
    """The plan as one presents it: clean, read-only, the latest version's words (or the
    draft's while there is none)."""
    plan = selectors.plan_get(request.user, pk)
    number = request.GET.get("version", "")
    version = None
    if number:
        if not number.isdigit() or len(number) > 6:
            raise Http404("No such version.")
        version = plan.versions.filter(number=int(number)).first()
        if version is None:
            raise Http404("No such version.")
    else:
        version = plan.versions.order_by("-number").first()
    content = version.content if version else services.content_of(plan)
    return render(
        request,
        "plans/present.html",
        _context(plan=plan, version=version, content=content, names=services.COMMENTED),
    )


def _change(request, pk: int, change, to: str = "plans:detail"):
    plan = selectors.plan_get(request.user, pk)
    return change_then_back(request, plan, change, refusals=(PlanError,), to=to)


@require_POST
@ability_required(abilities.WRITE_PLANS, abilities.REVIEW_PLANS)
def plan_update(request, pk: int):
    form = SectionsForm(request.POST)

    def update(plan) -> str:
        if not form.is_valid():
            raise PlanError("Keep each section to 10,000 characters.")
        services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        if request.POST.get("then") == "submit":
            version = services.plan_submit(actor=request.user, plan=plan)
            return f"Submitted as version {version.number}. Your manager approves or returns it."
        return "Saved."

    return _change(request, pk, update)


@require_POST
@ability_required(abilities.REVIEW_PLANS)
def plan_decide(request, pk: int):
    form = DecideForm(request.POST)

    def decide(plan) -> str:
        if not form.is_valid():
            raise PlanError("Approve or return it; reasons up to 2,000 characters.")
        approve = form.cleaned_data["decision"] == "approve"
        services.plan_decide(
            actor=request.user, plan=plan, approve=approve, reason=form.cleaned_data["reason"]
        )
        return "Approved." if approve else f"Returned to {plan.person.name} with your reasons."

    return _change(request, pk, decide)


@require_POST
@ability_required(abilities.WRITE_PLANS, abilities.REVIEW_PLANS)
def plan_comment(request, pk: int):
    form = CommentForm(request.POST)

    sections = SectionsForm(request.POST)

    def comment(plan) -> str:
        if not form.is_valid():
            raise PlanError("Choose a section and write the comment (up to 2,000 characters).")
        saved = _save_sections_sent(request, plan, sections)
        services.plan_comment(actor=request.user, plan=plan, **form.cleaned_data)
        return "Comment added; the plan saved." if saved else "Comment added."

    return _change(request, pk, comment)


def _save_sections_sent(request, plan, sections: SectionsForm) -> bool:
    """Save the sections typed on the plan's page when a form joined to them (an action,
    a comment) sends them along, so that nothing written is lost; whether it did."""
    if not any(key in request.POST for key in SECTIONS) or not plan.editable:
        return False
    if not sections.is_valid():
        raise PlanError("Keep each section to 10,000 characters.")
    services.plan_update(actor=request.user, plan=plan, **sections.cleaned_data)
    return True


@require_POST
@ability_required(abilities.WRITE_PLANS, abilities.REVIEW_PLANS)
def action_add(request, pk: int):
    """An action added from the plan's page, which sends the sections typed above with it:
    they are saved first, so nothing written is lost."""
    form = ActionForm(request.POST)
    sections = SectionsForm(request.POST)

    def add(plan) -> str:
        if not form.is_valid():
            raise PlanError("Write the action (up to 300 characters) and the day it is due by.")
        _save_sections_sent(request, plan, sections)
        services.action_add(actor=request.user, plan=plan, **form.cleaned_data)
        return "Action added; the plan saved."

    return _change(request, pk, add)


@require_POST
@ability_required(abilities.WRITE_PLANS, abilities.REVIEW_PLANS)
def action_set(request, pk: int, action_pk: int):
    def set_state(plan) -> str:
        action = selectors.action_get(plan, action_pk)
        state = request.POST.get("state", "")
        services.action_set(actor=request.user, action=action, state=state)
        return f"Marked {ActionState(state).label.lower()}."

    return _change(request, pk, set_state)


@ability_required(abilities.SEE_PERSON)
def plan_review(request, pk: int):
    """A quarterly plan against actuals — the quarter, each month, each week — and the
    review: why up or down, what now (each line a commitment)."""
    plan = selectors.plan_get(request.user, pk)
    if plan.kind != PlanKind.QUARTERLY:
        raise Http404("Only quarterly plans are reviewed against actuals.")
    today = timezone.localdate()
    as_of = min(today, plan.period_end)
    may_write = services.may_write(request.user, plan.person)
    if request.method == "POST" and not may_write:
        raise PermissionDenied(f"You cannot review {plan.person.name}'s plan.")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_record(actor=request.user, plan=plan, **form.cleaned_data)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            made = review.commitments.count()
            messages.success(
                request,
                f"Review recorded; {made} commitment{'s' if made != 1 else ''} made."
                + (" A catch-up plan is open." if hasattr(review, "catch_up") else ""),
            )
            return redirect("plans:review", pk=plan.pk)
    catch_ups = [(c, selectors.catch_up_progress(c, today)) for c in selectors.catch_ups_of(plan)]
    return render(
        request,
        "plans/review.html",
        _context(
            plan=plan,
            shown=selectors.plan_figures(plan, as_of),
            form=form if may_write and plan.state == PlanState.APPROVED else None,
            reviews=list(plan.reviews.select_related("signed_off_by", "recorded_by")),
            catch_ups=catch_ups,
            may_sign=abilities.may(request.user, abilities.REVIEW_PLANS, plan.person),
            today=today,
        ),
    )


@require_POST
@ability_required(abilities.REVIEW_PLANS)
def review_sign_off(request, pk: int):
    review = selectors.review_get(request.user, pk)

    def sign(plan) -> str:
        services.review_sign_off(actor=request.user, review=review)
        return "Signed off."

    return _change(request, review.plan_id, sign, to="plans:review")


@require_POST
@ability_required(abilities.REVIEW_PLANS)
def catch_up_close(request, pk: int):
    catch_up = selectors.catch_up_get(request.user, pk)

    def close(plan) -> str:
        services.catch_up_close(
            actor=request.user, catch_up=catch_up, note=request.POST.get("note", "")[:400]
        )
        return "Catch-up plan closed."

    return _change(request, catch_up.review.plan_id, close, to="plans:review")


# --- key accounts -------------------------------------------------------------------------


@ability_required(abilities.SEE_PERSON)
def account_plans(request):
    """The key accounts' plans of the year the viewer may see, what needs attention, and
    a form to plan one of one's accounts."""
    user, today = request.user, timezone.localdate()
    year = _year(today)
    form = None
    if abilities.may(user, abilities.WRITE_PLANS):
        form = AccountPlanForm(request.POST or None, accounts=selectors.ownable_accounts(user))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not plan accounts.")
        if form.is_valid():
            try:
                saved = services.account_plan_save(actor=user, year=year, **form.cleaned_data)
            except (PlanError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Planned: {saved.account.name} ({saved.tier}).")
                return redirect("plans:accounts")
    return render(
        request,
        "plans/accounts.html",
        _context(
            form=form,
            year=year,
            plans=selectors.account_plans(user, year),
            flags=selectors.account_flags(visible_people(user), year, today),
            today=today,
        ),
    )


@ability_required(abilities.SEE_PERSON)
def account_page(request, pk: int):
    """An account: who owns it, its plan for the year, and its deals the viewer may see."""
    account = selectors.visible_account(request.user, pk)
    today = timezone.localdate()
    year = _year(today)
    return render(
        request,
        "plans/account.html",
        _context(
            account=account,
            year=year,
            plan=selectors.account_plan_of(request.user, account, year),
            deals=selectors.account_deals(request.user, account),
            today=today,
        ),
    )
