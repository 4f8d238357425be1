"""/api/v1/reviews: list, read and submit one's assessment, scoped as the pages are."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accountable.reviews.models import Side
from tests.reviews.conftest import ratings_all

pytestmark = pytest.mark.django_db


def _post(client, review, body):
    url = reverse("api:assessment_submit", kwargs={"review_id": review.pk})
    return client.post(url, json.dumps(body), content_type="application/json")


def test_each_side_writes_and_reads_through_the_api(client, cycle, packet_org):
    org = packet_org
    review = cycle.reviews.get(person=org.rep)
    theirs = cycle.reviews.get(person=org.other_rep)
    client.force_login(org.rep)
    listed = client.get(reverse("api:performance_review_list")).json()
    assert [r["person"] for r in listed] == [org.rep.email]
    body = {"ratings": ratings_all(review, 5), "strengths": "Closing", "submit": True}
    answer = _post(client, review, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["self_assessment"]["submitted_at"]
    assert answer.json()["manager_assessment"] is None
    assert _post(client, theirs, body).status_code == 404
    assert _post(client, review, body).json()["detail"].startswith("This assessment was sent")
    bad = {"ratings": {"metric:revenue": {"rating": 9}}}
    assert _post(client, review, bad).status_code in (400, 422)

    client.force_login(org.manager)
    assert _post(client, theirs, body).status_code == 404
    answer = _post(client, review, {**body, "ratings": ratings_all(review, 2)})
    assert answer.status_code == 200
    detail = client.get(
        reverse("api:performance_review_get", kwargs={"review_id": review.pk})
    ).json()
    assert detail["state"] == "discussing" and detail["writes"] == Side.MANAGER
    revenue = next(a for a in detail["answers"] if a["key"] == "metric:revenue")
    assert (revenue["self_rating"], revenue["manager_rating"], revenue["gap"]) == (5, 2, True)

    client.force_login(org.executive)
    assert _post(client, review, body).status_code == 403
