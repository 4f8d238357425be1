"""Who may call each API endpoint this app adds (the organisation endpoints are in
tests/test_permissions.py). Anonymous callers get 401; a record outside the
caller's reach is 404, never 403.

The matrix signs in with a session. Bulk uploads are POSTed there without a
JSON body: a caller the role check lets through then gets 400 for the missing
body, which proves the role check passed; tests/api/test_bulk.py posts real rows.
"""

from __future__ import annotations

from django.urls import reverse

from accountable.imports.formats import KINDS
from accountable.imports.models import ImportRun
from accountable.imports.rejects import run_dir_fresh
from accountable.org import abilities
from tests.conftest import Org
from tests.crm.factories import DealFactory
from tests.crm.permission_cases import done_milestone, proposal_stage, used_stage
from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    NOT_ALLOWED,
    OK,
    Case,
    api,
    everyone,
    holders,
    url,
)

BAD_BODY = 400
UNREADABLE = 422  # the test client sends PUT and PATCH data as an empty JSON object


def _deal_of(who: str):
    def build(org: Org) -> str:
        owner = getattr(org, who)
        external_id = f"PERM-{who}"
        if not owner.deals.filter(external_id=external_id).exists():
            DealFactory(owner=owner, external_id=external_id)
        return reverse("api:deal", kwargs={"external_id": external_id})

    return build


def _run_pk(org: Org) -> int:
    run = ImportRun.objects.filter(created_by=org.manager).first()
    if run is None:
        run = ImportRun.objects.create(
            kind="deals", source=ImportRun.Source.API, status="applied", created_by=org.manager
        )
    return run.pk


def _run_by_manager(org: Org) -> str:
    return reverse("api:import_run", kwargs={"run_id": _run_pk(org)})


# People decide roles and teams; accounts and products are shared by everyone; past
# forecast calls are history an admin loads.
ADMIN_ONLY_KINDS = {"people", "accounts", "products", "forecasts"}


def _rejects_of_managers_run(org: Org) -> str:
    run = ImportRun.objects.get(pk=_run_pk(org))
    run_dir_fresh(run.pk)  # no rejected rows (files are not rolled back with the test)
    return reverse("api:import_rejects", kwargs={"run_id": run.pk})


def _bulk(kind: str) -> dict[str, int]:
    if kind in ADMIN_ONLY_KINDS:
        allowed = {
            "rep": FORBIDDEN,
            "manager": FORBIDDEN,
            "executive": FORBIDDEN,
            "admin": BAD_BODY,
        }
    else:
        allowed = {"rep": FORBIDDEN, "manager": BAD_BODY, "executive": FORBIDDEN, "admin": BAD_BODY}
    return api(allowed)


def _time_off_of(who: str):
    def build(org: Org) -> str:
        from accountable.org.models import TimeOff

        span, _ = TimeOff.objects.get_or_create(
            person=getattr(org, who), first_day="2026-08-24", last_day="2026-08-28"
        )
        return reverse("api:time_off_delete", kwargs={"time_off_id": span.pk})

    return build


def _forecast_of(who: str, name: str = "api:forecast_adjust"):
    def build(org: Org) -> str:
        from accountable.forecasts.models import ForecastSubmission
        from accountable.forecasts.weeks import open_week

        call, _ = ForecastSubmission.objects.get_or_create(
            person=getattr(org, who),
            period="2099-Q1",
            week_of=open_week(),
            defaults={"commit": 100, "best_case": 150},
        )
        return reverse(name, kwargs={"forecast_id": call.pk})

    return build


def _accuracy_of(period: str):
    return lambda org: reverse("api:forecast_accuracy") + (f"?period={period}" if period else "")


def _checkin_of(who: str, manager: str, name: str):
    def build(org: Org) -> str:
        from accountable.checkins.models import CheckIn

        # The first of them: holding a weekly check-in schedules the next of the series.
        people = {"person": getattr(org, who), "manager": getattr(org, manager)}
        checkin = CheckIn.objects.filter(**people).order_by("pk").first()
        checkin = checkin or CheckIn.objects.create(
            **people, starts_at="2027-03-02T14:00:00Z", private_notes="perm"
        )
        return reverse(name, kwargs={"checkin_id": checkin.pk})

    return build


def _review_of(who: str, name: str):
    def build(org: Org) -> str:
        from accountable.checkins.models import PipelineReview

        review, _ = PipelineReview.objects.get_or_create(
            person=getattr(org, who), defaults={"since": "2027-02-15", "held_on": "2027-03-01"}
        )
        return reverse(name, kwargs={"review_id": review.pk})

    return build


# A record of our rep's: everyone sees it. One of another region's rep: hidden from a rep
# and a manager elsewhere; an executive and an admin see it.
SEES_OTHER = api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK})


def _commitment_of(who: str, name: str = "api:commitment_get"):
    def build(org: Org) -> str:
        from accountable.commitments.models import Commitment

        commitment, _ = Commitment.objects.get_or_create(
            person=getattr(org, who), text="Send the Globex proposal", due_on="2026-09-18"
        )
        return reverse(name, kwargs={"commitment_id": commitment.pk})

    return build


CASES: dict[str, list[Case]] = {
    "api:deals": [Case(url("api:deals"), api(everyone(OK)))],
    "api:deal": [
        Case(_deal_of("rep"), api(everyone(OK)), note="the rep's own deal"),
        Case(
            _deal_of("other_rep"),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}),
            note="a deal of another region's rep",
        ),
    ],
    "api:activities": [Case(url("api:activities"), api(everyone(OK)))],
    "api:import_run": [
        Case(
            _run_by_manager,
            api({"rep": HIDDEN, "manager": OK, "executive": HIDDEN, "admin": OK}),
            note="a run the manager made: theirs, and any for an admin",
        )
    ],
    "api:import_rejects": [
        Case(
            _rejects_of_managers_run,
            api(everyone(HIDDEN)),
            note="a run that rejected nothing has no rejected rows: 404 for all (the CSV "
            "itself, and who may fetch it, is in tests/api/test_bulk.py)",
        )
    ],
    "api:time_off_list": [Case(url("api:time_off_list"), api(everyone(OK)))],
    "api:time_off_create": [
        Case(
            url("api:time_off_create"),
            api(everyone(BAD_BODY)),
            method="post",
            note="no JSON body: everyone records their own time off",
        )
    ],
    "api:time_off_delete": [
        Case(_time_off_of("rep"), everyone(405, anonymous=405), note="DELETE only"),
        Case(
            _time_off_of("rep"),
            api({"rep": 204, "manager": 204, "executive": FORBIDDEN, "admin": 204}),
            method="delete",
            note="the rep's own: they, their manager and an admin remove it; an executive "
            "sees it but may not",
        ),
        Case(
            _time_off_of("other_rep"),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": FORBIDDEN, "admin": 204}),
            method="delete",
            note="a rep of another region's",
        ),
    ],
    "api:commitment_list": [Case(url("api:commitment_list"), api(everyone(OK)))],
    "api:commitment_create": [
        Case(
            url("api:commitment_create"),
            api(holders(abilities.MAKE_COMMITMENTS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: everyone records their own commitments",
        )
    ],
    "api:commitment_get": [
        Case(_commitment_of("rep"), api(everyone(OK)), note="the rep's own"),
        Case(
            _commitment_of("other_rep"),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}),
            note="a rep of another region's",
        ),
    ],
    **{
        name: [
            Case(
                _commitment_of("rep", name),
                everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                note="POST only",
            ),
            Case(
                _commitment_of("rep", name),
                api(holders(ability, yes=BAD_BODY)),
                method="post",
                note="no JSON body: " + why,
            ),
        ]
        for name, ability, why in [
            (
                "api:commitment_report",
                abilities.MAKE_COMMITMENTS,
                "every role reports on its own (the person alone, the service checks)",
            ),
            (
                "api:commitment_confirm",
                abilities.CONFIRM_COMMITMENTS,
                "managers and admins confirm; the role is refused before the body is read",
            ),
            (
                "api:commitment_withdraw",
                abilities.MAKE_COMMITMENTS,
                "whoever may record commitments withdraws them",
            ),
        ]
    },
    "api:forecast_list": [Case(url("api:forecast_list"), api(everyone(OK)))],
    "api:forecast_submit": [
        Case(
            url("api:forecast_submit"),
            api(holders(abilities.SUBMIT_FORECASTS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: whoever submits forecasts calls their own",
        )
    ],
    "api:forecast_adjust": [
        Case(_forecast_of("rep"), everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED), note="POST only"),
        Case(
            _forecast_of("rep"),
            api(holders(abilities.ADJUST_FORECASTS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: managers and admins adjust; the role is refused before the "
            "body is read",
        ),
    ],
    "api:forecast_accuracy": [
        Case(_accuracy_of("2026-Q3"), api(everyone(OK)), note="each sees the calls they may"),
        Case(_accuracy_of(""), api(everyone(UNREADABLE)), note="the period is required"),
    ],
    "api:checkin_list": [Case(url("api:checkin_list"), api(everyone(OK)))],
    "api:checkin_schedule": [
        Case(
            url("api:checkin_schedule"),
            api(holders(abilities.RUN_CHECKINS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: managers and admins schedule",
        )
    ],
    **{
        name: [
            Case(_checkin_of("rep", "manager", name), api(everyone(OK)), note="the rep's own"),
            Case(
                _checkin_of("other_rep", "other_manager", name),
                SEES_OTHER,
                note="a rep of another region's",
            ),
        ]
        for name in ("api:checkin_get", "api:checkin_agenda")
    },
    "api:checkin_hold": [
        Case(
            _checkin_of("rep", "manager", "api:checkin_hold"),
            everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            _checkin_of("rep", "manager", "api:checkin_hold"),
            api(holders(abilities.RUN_CHECKINS)),
            method="post",
            note="the rep's manager and an admin hold it; it has no body",
        ),
        Case(
            _checkin_of("other_rep", "other_manager", "api:checkin_hold"),
            api({**holders(abilities.RUN_CHECKINS), "manager": HIDDEN}),
            method="post",
            note="a rep of another region's",
        ),
    ],
    **{
        name: [
            Case(
                _checkin_of("rep", "manager", name),
                everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                note="POST only",
            ),
            Case(
                _checkin_of("rep", "manager", name),
                api(holders(ability, yes=BAD_BODY)),
                method="post",
                note="no JSON body: " + why,
            ),
        ]
        for name, ability, why in [
            (
                "api:checkin_item_add",
                abilities.SEE_PERSON,
                "the person and whoever runs their check-ins (the service checks which)",
            ),
            ("api:checkin_action_add", abilities.RUN_CHECKINS, "whoever runs check-ins"),
        ]
    },
    "api:self_report_list": [Case(url("api:self_report_list"), api(everyone(OK)))],
    "api:self_report_submit": [
        Case(
            url("api:self_report_submit"),
            api(holders(abilities.SELF_REPORT, yes=BAD_BODY)),
            method="post",
            note="no JSON body: each reports on their own",
        )
    ],
    "api:review_list": [Case(url("api:review_list"), api(everyone(OK)))],
    "api:review_start": [
        Case(
            url("api:review_start"),
            api(holders(abilities.RUN_CHECKINS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: managers and admins review pipelines",
        )
    ],
    "api:review_get": [
        Case(_review_of("rep", "api:review_get"), api(everyone(OK)), note="the rep's own"),
        Case(
            _review_of("other_rep", "api:review_get"),
            SEES_OTHER,
            note="a rep of another region's",
        ),
    ],
    "api:review_decision_add": [
        Case(
            _review_of("rep", "api:review_decision_add"),
            everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            _review_of("rep", "api:review_decision_add"),
            api(holders(abilities.RUN_CHECKINS, yes=BAD_BODY)),
            method="post",
            note="no JSON body: whoever reviews pipelines",
        ),
    ],
    "api:stages": [Case(url("api:stages"), api(everyone(OK)), note="everyone reads the stages")],
    **{
        name: [
            Case(
                path,
                api(holders(abilities.EDIT_PIPELINE, yes=answer)),
                method=method,
                note="the pipeline's editors: " + why,
            )
        ]
        for name, path, method, answer, why in [
            ("api:stage_create", url("api:stage_create"), "post", BAD_BODY, "no JSON body"),
            (
                "api:stage_change",
                url("api:stage_change", stage_id=proposal_stage),
                "patch",
                OK,
                "an empty change, which changes nothing",
            ),
            (
                "api:stages_order",
                url("api:stages_order"),
                "put",
                UNREADABLE,
                "a body that is not JSON",
            ),
            (
                "api:stage_merge",
                url("api:stage_merge", stage_id=proposal_stage),
                "post",
                BAD_BODY,
                "no JSON body",
            ),
            (
                "api:stage_remove",
                url("api:stage_remove", stage_id=used_stage),
                "delete",
                BAD_BODY,
                "a stage holding a deal is merged, not removed",
            ),
            (
                "api:milestone_create",
                url("api:milestone_create", stage_id=proposal_stage),
                "post",
                BAD_BODY,
                "no JSON body",
            ),
            (
                "api:milestone_change",
                url("api:milestone_change", milestone_id=done_milestone),
                "patch",
                UNREADABLE,
                "a body that is not JSON",
            ),
            (
                "api:milestone_remove",
                url("api:milestone_remove", milestone_id=done_milestone),
                "delete",
                BAD_BODY,
                "a milestone deals have done stays",
            ),
        ]
    },
    **{
        f"api:bulk_{kind}": [
            Case(url(f"api:bulk_{kind}"), _bulk(kind), method="post", note="no JSON body")
        ]
        for kind in KINDS
    },
}
