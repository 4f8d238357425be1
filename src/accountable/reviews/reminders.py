"""Performance review reminders, in each person's morning e-mail with the rest
(`checkins.reminders`, which reads them through `reminder_source`):

- the day before a self-assessment is due, and the day after if it was not sent;
- the same for the manager's assessment, to the person's nearest managers;
- the day after an outcome was recorded, and a week after if still not acknowledged.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from accountable.org.models import Person
from accountable.reviews.models import Review, ReviewState, Side

ACKNOWLEDGE_WITHIN_DAYS = 7


def nearest_managers(person: Person) -> list[Person]:
    """The active managers of the nearest team above the person that has any."""
    team = person.team
    while team is not None:
        found = [m for m in team.managers.all() if m.pk != person.pk and m.is_active]
        if found:
            return found
        team = team.parent
    return []


def review_reminders(today: date) -> dict[int, list[str]]:
    """{person id: lines} of the reviews' reminders on `today`."""
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    lines: dict[int, list[str]] = defaultdict(list)
    writing = Review.objects.filter(state=ReviewState.WRITING).select_related(
        "cycle", "person", "person__team"
    )
    due = writing.filter(cycle__self_due_on__in=[tomorrow, yesterday]) | writing.filter(
        cycle__manager_due_on__in=[tomorrow, yesterday]
    )
    for review in due.prefetch_related("assessments"):
        sent = {a.side for a in review.assessments.all() if a.submitted}
        cycle = review.cycle
        if Side.SELF not in sent and cycle.self_due_on == tomorrow:
            lines[review.person_id].append(
                f"Your self-assessment for {cycle.name} is due tomorrow."
            )
        if Side.SELF not in sent and cycle.self_due_on == yesterday:
            lines[review.person_id].append(
                f"Your self-assessment for {cycle.name} was due yesterday: send it today."
            )
        if Side.MANAGER not in sent and cycle.manager_due_on in (tomorrow, yesterday):
            when = "is due tomorrow" if cycle.manager_due_on == tomorrow else "was due yesterday"
            for manager in nearest_managers(review.person):
                lines[manager.pk].append(
                    f"Your assessment of {review.person.name} for {cycle.name} {when}."
                )
    waiting = Review.objects.filter(state=ReviewState.AGREED).select_related("cycle")
    for review in waiting:
        recorded = review.recorded_at.date() if review.recorded_at else None
        if recorded == yesterday:
            lines[review.person_id].append(
                f"The outcome of your review ({review.cycle.name}) is recorded: read and "
                "acknowledge it."
            )
        elif recorded == today - timedelta(days=ACKNOWLEDGE_WITHIN_DAYS):
            lines[review.person_id].append(
                f"The outcome of your review ({review.cycle.name}) still waits for your "
                "acknowledgment."
            )
    return dict(lines)
