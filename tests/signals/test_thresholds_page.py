"""The warning thresholds page: admins only, every threshold, bad input changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.signals.models import SignalSettings
from accountable.signals.selectors import thresholds_get
from accountable.signals.services import thresholds_update
from accountable.signals.thresholds import DEFAULTS, GROUPS, INFO

pytestmark = pytest.mark.django_db

URL = reverse("signals:thresholds")


def values(**changes) -> dict[str, str]:
    """The form as the page posts it: every box with its current value, some changed."""
    current = thresholds_get()
    return {name: f"{getattr(current, name):g}" for name in INFO} | changes


def stored() -> dict:
    found = SignalSettings.objects.filter(pk=1).first()
    return found.thresholds if found else {}


def test_an_admin_sees_every_threshold_with_its_default_and_meaning(client, org):
    client.force_login(org.admin)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for name in INFO:
        assert f'name="{name}"' in page
    for title in GROUPS.values():
        assert f"<h2>{title}</h2>" in page
    assert "0.7 (70%)" in page  # low_activity_ratio's default, as a share
    assert "Customer complaints in the last 91 days that make a warning." in page
    assert "Put all" not in page  # nothing changed yet


@pytest.mark.parametrize("role", ["manager", "rep", "executive"])
def test_others_are_refused(client, org, role):
    client.force_login(getattr(org, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, values(complaints_count="3")).status_code == 403
    assert stored() == {}


def test_the_settings_page_links_to_it(client, org):
    client.force_login(org.admin)
    assert URL in client.get(reverse("org:settings")).content.decode()


def test_saving_changes_them_and_writes_the_audit_trail(client, org):
    client.force_login(org.admin)
    response = client.post(URL, values(complaints_count="3", low_activity_ratio="0.6"))
    assert response.status_code == 302
    assert stored() == {"complaints_count": 3, "low_activity_ratio": 0.6}
    entry = AuditEntry.objects.get(action="signals.thresholds")
    assert entry.actor == org.admin
    assert entry.after == {"thresholds": {"complaints_count": 3, "low_activity_ratio": 0.6}}
    page = client.get(URL).content.decode()
    assert "Put all 2 changed back to their defaults" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("complaints_count", "many", "complaints_count must be a number, not &quot;many&quot;"),
        ("low_activity_ratio", "-0.5", "low_activity_ratio cannot be negative"),
        ("low_activity_ratio", "1.4", "low_activity_ratio must be at most 1"),
        ("complaints_count", "2.5", "complaints_count must be a whole number"),
        ("quota_miss_periods", "0", "quota_miss_periods must be at least 1"),
        ("low_activity_high_ratio", "0.9", "cannot be above low_activity_ratio"),
    ],
)
def test_bad_input_says_what_is_wrong_by_field_and_changes_nothing(
    client, org, field, value, message
):
    thresholds_update(actor=org.admin, changes={"complaints_count": 3})
    before = AuditEntry.objects.count()
    client.force_login(org.admin)
    # A good change alongside the bad one is not saved either.
    response = client.post(URL, values(**{field: value, "channel_mix_ratio": "0.5"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was changed" in page
    assert message in page
    assert f'id="id_{field}-error"' in page
    assert f'value="{value}"' in page  # what was typed stays in its box
    assert stored() == {"complaints_count": 3}
    assert AuditEntry.objects.count() == before


def test_an_empty_box_means_the_default(client, org):
    thresholds_update(actor=org.admin, changes={"complaints_count": 3})
    client.force_login(org.admin)
    client.post(URL, values(complaints_count=""))
    assert stored() == {}


def test_reset_one_or_all(client, org):
    thresholds_update(actor=org.admin, changes={"complaints_count": 3, "cycle_ratio": 1.5})
    client.force_login(org.admin)
    response = client.post(URL, {"reset": "complaints_count"}, follow=True)
    assert "complaints_count is back to its default" in response.content.decode()
    assert stored() == {"cycle_ratio": 1.5}
    client.post(URL, {"reset": "all"})
    assert stored() == {}
    assert thresholds_get() == DEFAULTS
    assert AuditEntry.objects.filter(action="signals.thresholds").count() == 3


def test_an_unknown_reset_changes_nothing(client, org):
    thresholds_update(actor=org.admin, changes={"complaints_count": 3})
    client.force_login(org.admin)
    response = client.post(URL, {"reset": "nonsense"})
    assert "Unknown threshold nonsense" in response.content.decode()
    assert stored() == {"complaints_count": 3}
