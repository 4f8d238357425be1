"""Pages for targets and goals: the targets grid, goals with their SMART check, and a
person's accountability measures. Reads through `goals.selectors`, writes through
`goals.services`; who may do what is decided there, through `org.scoping`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.goals import okrs as okrs_
from accountable.goals import selectors, services
from accountable.goals.errors import GoalsError, NotAllowed, SmartFailed
from accountable.goals.forms import (
    AllocateForm,
    ConfidenceForm,
    GoalForm,
    KeyResultForm,
    MeasuresForm,
    ObjectiveForm,
    SplitForm,
)
from accountable.org import abilities
from accountable.org.calendar import PeriodError
from accountable.org.models import Person, Team
from accountable.org.scoping import ability_required, visible_teams
from accountable.org.services import organisation_get
from accountable.targets.catalogue import CATALOGUE, metric_get


def _grid_url(period: str, metric: str, team: str | int | None) -> str:
    query = {"period": period, "metric": metric}
    if team:
        query["team"] = team
    return f"{reverse('goals:targets')}?{urlencode(query)}"


def _default_team(user: Person) -> Team | None:
    teams = visible_teams(user)
    if user.team_id and teams.filter(pk=user.team_id).exists():
        return user.team
    return teams.filter(kind="team").order_by("path").first() or teams.order_by("path").first()


def targets(request):
    cal = organisation_get().calendar
    label = request.GET.get("period") or cal.period("quarter", timezone.localdate()).label
    metric = request.GET.get("metric") or "revenue"
    error = ""
    try:
        period = cal.parse(label)
        metric = metric_get(metric).key
    except (PeriodError, KeyError) as problem:
        error = problem.args[0]
        period, metric = cal.period("quarter", timezone.localdate()), "revenue"
    team_id = request.GET.get("team", "")
    teams = visible_teams(request.user).order_by("path")
    team = teams.filter(pk=team_id).first() if team_id.isdigit() else _default_team(request.user)
    grid = selectors.target_grid(request.user, period=period, metric=metric, team=team)
    context = {
        "grid": grid,
        "teams": teams,
        "metrics": CATALOGUE,
        "metric_label": metric_get(metric).label,
        "error": error,
        "currency": organisation_get().currency,
        "unit_currency": organisation_get().currency if metric_get(metric).unit == "money" else "",
        "split_form": SplitForm(),
        "allocate_form": AllocateForm(),
        "year": cal.period("year", period.start).label,
    }
    return render(request, "goals/targets.html", context)


def _owner(kind: str, pk: str):
    model = Team if kind == "team" else Person
    owner = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if owner is None:
        raise GoalsError("Choose whose target this is.")
    return owner


def _back(request):
    post = request.POST
    return redirect(_grid_url(post.get("period", ""), post.get("metric", ""), post.get("team", "")))


@require_POST
@ability_required(abilities.SET_TARGETS)
def target_row(request):
    """Save one row of the grid: the owner's target for the period and each of its parts."""
    post = request.POST
    values = {key[6:]: value for key, value in post.items() if key.startswith("value:")}
    try:
        owner = _owner(post.get("owner_kind", ""), post.get("owner_id", ""))
        saved = services.target_set_many(
            actor=request.user, owner=owner, metric=post.get("metric", ""), values=values
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, f"Nothing was saved: {error}")
    else:
        messages.success(
            request, f"Saved {len(saved)} target{'s' * (len(saved) != 1)} for {owner}."
        )
    return _back(request)


@require_POST
@ability_required(abilities.SET_TARGETS)
def target_split(request):
    post = request.POST
    form = SplitForm(post)
    try:
        if not form.is_valid():
            raise GoalsError("Choose how to split and into what.")
        owner = _owner(post.get("owner_kind", ""), post.get("owner_id", ""))
        result = services.target_split(
            actor=request.user,
            owner=owner,
            metric=post.get("metric", ""),
            year_label=post.get("year", ""),
            **form.cleaned_data,
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, f"Nothing was split: {error}")
    else:
        note = f" {result.note}" if result.note else ""
        messages.success(
            request, f"Split {result.parent.period} into {len(result.targets)} targets.{note}"
        )
    return _back(request)


@require_POST
@ability_required(abilities.SET_TARGETS)
def target_allocate(request):
    post = request.POST
    form = AllocateForm(post)
    try:
        if not form.is_valid():
            raise GoalsError("Choose how to allocate.")
        team = _owner("team", post.get("team", ""))
        result = services.target_allocate(
            actor=request.user,
            team=team,
            metric=post.get("metric", ""),
            period_label=post.get("period", ""),
            method=form.cleaned_data["method"],
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, f"Nothing was allocated: {error}")
    else:
        extra = "".join(f" {name}: {why}." for name, why in result.adjustments.items())
        messages.success(
            request,
            f"Allocated {result.team_target.period} to {len(result.targets)} people.{extra}",
        )
    return _back(request)


# ---- goals ------------------------------------------------------------------------------


def goals(request):
    goals = list(selectors.goal_list(request.user)[:200])
    rows = [(goal, selectors.goal_progress(goal)) for goal in goals]
    return render(
        request, "goals/goals.html", {"rows": rows, "currency": organisation_get().currency}
    )


def goal_new(request):
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = GoalForm(request.POST or None, actor=request.user, initial=initial)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=request.user, data=form.goal_input())
        except SmartFailed as error:
            results = error.results
            form.add_error(None, str(error))
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except GoalsError as error:
            form.add_error(None, str(error))
        else:
            state = "as a draft for your manager" if goal.status == "draft" else ""
            messages.success(request, f"Saved the goal {state}".strip() + ".")
            return redirect("goals:goal", pk=goal.pk)
    if results is None and form.is_bound and form.is_valid():
        results = services.smart_results(form.goal_input())
    return render(request, "goals/goal_form.html", {"form": form, "results": results})


def goal_edit(request, pk: int):
    """Change a goal (the SMART check runs again); a manager approves a rep's draft here."""
    goal = selectors.goal_get(request.user, pk)
    if not services.can_edit_goal(request.user, goal):
        raise PermissionDenied("Only the goal owner's manager or an admin changes this goal.")
    initial = {
        "person": goal.person_id,
        "kind": goal.kind,
        "title": goal.title,
        "metric": goal.metric,
        "target_value": goal.target_value,
        "baseline": goal.baseline,
        "period": goal.period,
        "deadline": goal.deadline,
        "objective": goal.objective_id,
        "priority": goal.priority,
        "override": goal.smart_override,
        "override_reason": goal.override_reason,
        "status": goal.status,
    }
    form = GoalForm(request.POST or None, actor=request.user, initial=initial, goal=goal)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                actor=request.user,
                goal=goal,
                data=form.goal_input(),
                status=form.cleaned_data.get("status") or None,
            )
        except SmartFailed as error:
            results = error.results
            form.add_error(None, str(error))
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except GoalsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the goal.")
            return redirect("goals:goal", pk=goal.pk)
    if results is None and form.is_valid():
        results = services.smart_results(form.goal_input())
    context = {"form": form, "results": results, "goal": goal}
    return render(request, "goals/goal_form.html", context)


@require_POST
def goal_check(request):
    """The SMART letters for the goal as typed so far (an htmx fragment)."""
    form = GoalForm(request.POST, actor=request.user)
    form.is_valid()
    results = None
    if form.cleaned_data.get("person"):
        results = services.smart_results(form.goal_input())
    return render(request, "goals/_smart.html", {"results": results})


def goal(request, pk: int):
    goal = selectors.goal_get(request.user, pk)
    context = {
        "goal": goal,
        "progress": selectors.goal_progress(goal),
        "currency": organisation_get().currency,
        "can_edit": services.can_set_target(request.user, goal.owner),
        "can_change": services.can_edit_goal(request.user, goal),
    }
    return render(request, "goals/goal.html", context)


def person_goals(request, pk: int):
    """A person's goals, each revenue or deals goal worked back into weekly activity."""
    person = selectors.person_get(request.user, pk)
    can_edit = services.can_set_target(request.user, person)
    items = []
    for goal in selectors.goal_list(request.user, person=person):
        measures = None
        if goal.metric in ("revenue", "deals_won") and goal.period:
            measures = selectors.funnel_plan_for(goal)
        saved = selectors.activity_targets_for(goal) if measures else []
        items.append((goal, selectors.goal_progress(goal), measures, saved))
    context = {
        "person": person,
        "items": items,
        "can_edit": can_edit,
        "currency": organisation_get().currency,
    }
    return render(request, "goals/person_goals.html", context)


@require_POST
@ability_required(abilities.SET_TARGETS)
def goal_done(request, pk: int):
    """Mark a milestone done, or not done again."""
    goal = selectors.goal_get(request.user, pk)
    try:
        services.goal_mark_done(actor=request.user, goal=goal, done=request.POST.get("done") == "1")
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"“{goal.title}” is {'done' if goal.done_on else 'not done yet'}."
        )
    return redirect("goals:goal", pk=goal.pk)


@require_POST
@ability_required(abilities.SET_TARGETS)
def goal_measures(request, pk: int):
    """Save the worked-back (and adjusted) activity figures as the person's targets."""
    goal = selectors.goal_get(request.user, pk)
    form = MeasuresForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Nothing was saved: the adjusted figures must be whole numbers, 0 or more."
        )
    else:
        try:
            saved = services.activity_targets_save(
                actor=request.user, goal=goal, overrides=form.overrides()
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except GoalsError as error:
            messages.error(request, f"Nothing was saved: {error}")
        else:
            period = saved[0].period if saved else goal.period
            messages.success(request, f"Saved {len(saved)} activity targets for {period}.")
    target = (
        reverse("goals:person", args=[goal.person_id]) if goal.person_id else reverse("goals:goals")
    )
    return redirect(target)


# ---- OKRs -------------------------------------------------------------------------------


def okrs(request):
    context = {
        "tree": okrs_.okr_tree(request.user, period=request.GET.get("period", "")),
        "objective_form": ObjectiveForm(actor=request.user),
        "key_result_form": KeyResultForm(),
        "can_create": abilities.may(request.user, abilities.SET_OBJECTIVES),
        "currency": organisation_get().currency,
    }
    return render(request, "goals/okrs.html", context)


@require_POST
@ability_required(abilities.SET_OBJECTIVES)
def objective_new(request):
    form = ObjectiveForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: " + _form_errors(form))
        return redirect("goals:okrs")
    try:
        objective = okrs_.objective_create(
            actor=request.user,
            title=form.cleaned_data["title"],
            level=form.cleaned_data["level"],
            period_label=form.cleaned_data["period"],
            owner=form.owner(),
            parent=form.cleaned_data.get("parent"),
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, f"Nothing was saved: {error}")
    else:
        messages.success(request, f"Added the objective “{objective}”.")
    return redirect("goals:okrs")


@require_POST
@ability_required(abilities.SET_OBJECTIVES)
def key_result_new(request, pk: int):
    objective = okrs_.objective_get(request.user, pk)
    form = KeyResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: " + _form_errors(form))
        return redirect("goals:okrs")
    try:
        okrs_.key_result_create(actor=request.user, objective=objective, **form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except GoalsError as error:
        messages.error(request, f"Nothing was saved: {error}")
    else:
        messages.success(request, f"Added a key result to “{objective}”.")
    return redirect("goals:okrs")


@require_POST
def key_result_confidence(request, pk: int):
    key_result = okrs_.key_result_get(request.user, pk)
    form = ConfidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Confidence is a whole number from 0 to 10.")
        return redirect("goals:okrs")
    try:
        okrs_.confidence_set(
            actor=request.user, key_result=key_result, confidence=form.cleaned_data["confidence"]
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"Confidence in “{key_result}” is now {key_result.confidence}/10.")
    return redirect("goals:okrs")


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields else " ".join(v)
        for k, v in form.errors.items()
    )
