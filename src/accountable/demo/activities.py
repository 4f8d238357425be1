"""A rep's activities, day by day: the calls, e-mails and social touches of
prospecting and follow-up, the first meetings they win, and the meetings,
demos, proposals and e-mails that move each of their deals along.

`activity_rows` is a generator: it yields one row at a time, in date order,
so the writer can stream tens of millions of them to the database in batches
without holding them in memory. All draws come from the rep's own seeded
generator; the number of touches follows their timeline (a slump falls, a new
hire ramps, a stopped prospector keeps calling customers but no prospects).

A typical rep makes about 50 touches a week, 60% of them prospecting, books
about four first meetings (half of which become opportunities), and works
each open deal with a second meeting, a demo, a proposal, negotiation calls
and a follow-up e-mail every week or two: 60 to 65 activities a week in all.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta

from accountable.crm.models import ActivityKind as Kind
from accountable.crm.models import Channel, DealType, Outcome
from accountable.demo.archetypes import BASELINE
from accountable.demo.deals import OPPORTUNITIES_PER_DAY, DealPlan
from accountable.demo.draws import Dither, poisson
from accountable.demo.timeline import RepTimeline

__all__ = [
    "ACTIVITY_FIELDS",
    "DEFAULT_ACTIVITIES_PER_WEEK",
    "DealTouch",
    "activity_rows",
    "deal_touches",
    "touch_scale",
]

# The Activity fields each row fills, in order.
ACTIVITY_FIELDS = (
    "person",
    "kind",
    "channel",
    "outcome",
    "is_prospecting",
    "occurred_at",
    "account",
    "deal",
    "meeting_number",
)
WORKING_DAYS_PER_WEEK = 5
TOUCHES_PER_DAY = BASELINE.weekly_touches / WORKING_DAYS_PER_WEEK
PROSPECTING_SHARE = 0.6
# Activities other than touches a typical rep logs in a week (meetings, demos,
# proposals, deal e-mails and calls), measured on the demo itself; used to turn
# a wanted total per rep-week into a number of touches.
OTHER_ACTIVITIES_PER_WEEK = 12.5
DEFAULT_ACTIVITIES_PER_WEEK = BASELINE.weekly_touches + OTHER_ACTIVITIES_PER_WEEK
# First meetings that do not become an opportunity, for every one that does.
MEETINGS_PER_OPPORTUNITY = 1 / BASELINE.opportunity_rate - 1
WEEK_SPREAD = 0.08
# Touches in a day wander by up to three either side of the rep's rate (less
# when the rate is low), but add up over a week to what the rep's timeline
# says (see `Dither`).
DAILY_JITTER = 3.0
# A rep who stopped prospecting fills the time the first meetings and new deals
# took with more follow-up on the deals and customers they have.
BUSY_WITH_PIPELINE = 1 + OTHER_ACTIVITIES_PER_WEEK / BASELINE.weekly_touches
MEETING, HELD, NO_SHOW = str(Kind.MEETING), str(Outcome.HELD), str(Outcome.NO_SHOW)
# Selling hours, in minutes after midnight (08:00 to 18:00).
DAY_STARTS, DAY_MINUTES = 8 * 60, 10 * 60

# (kind, channel, outcome, weight) of a prospecting touch and of a follow-up
# with a customer or a deal in progress.
PROSPECTING_TOUCHES = (
    (Kind.CALL, Channel.PHONE, Outcome.NO_ANSWER, 20),
    (Kind.CALL, Channel.PHONE, Outcome.VOICEMAIL, 10),
    (Kind.CALL, Channel.PHONE, Outcome.CONNECTED, 8),
    (Kind.CALL, Channel.PHONE, Outcome.MEETING_BOOKED, 2),
    (Kind.EMAIL, Channel.EMAIL, Outcome.NONE, 38),
    (Kind.EMAIL, Channel.EMAIL, Outcome.REPLIED, 4),
    (Kind.SOCIAL, Channel.SOCIAL, Outcome.NONE, 15),
    (Kind.SOCIAL, Channel.SOCIAL, Outcome.REPLIED, 3),
)
FOLLOW_UP_TOUCHES = (
    (Kind.EMAIL, Channel.EMAIL, Outcome.NONE, 30),
    (Kind.EMAIL, Channel.EMAIL, Outcome.REPLIED, 15),
    (Kind.CALL, Channel.PHONE, Outcome.CONNECTED, 18),
    (Kind.CALL, Channel.PHONE, Outcome.NO_ANSWER, 9),
    (Kind.CALL, Channel.PHONE, Outcome.VOICEMAIL, 5),
    (Kind.FOLLOW_UP, Channel.EMAIL, Outcome.NONE, 13),
    (Kind.FOLLOW_UP, Channel.PHONE, Outcome.CONNECTED, 10),
)
FIRST_MEETING_CHANNELS = ((Channel.VIDEO, 55), (Channel.IN_PERSON, 35), (Channel.PHONE, 10))
NO_SHOW_CHANCE = 0.08
# Prospecting touches aimed at a named account rather than a lead.
NAMED_PROSPECT_SHARE = 0.5
FOLLOW_UP_ON_CUSTOMER_SHARE = 0.7

# A touch as the stream stores it until it has a time: kind, channel, outcome,
# is_prospecting, account id, deal id, meeting number.
DealTouch = tuple[str, str, str, bool, int | None, int | None, int | None]


def _deck(templates: Sequence[tuple[str, str, str, int]], prospecting: bool) -> list[tuple]:
    """Templates repeated by weight, so a touch is one index into a list (of
    plain strings: the database driver needs no help with them)."""
    return [
        (str(kind), str(channel), str(outcome), prospecting)
        for kind, channel, outcome, weight in templates
        for _ in range(weight)
    ]


def _touch(
    kind: str,
    channel: str,
    outcome: str,
    prospecting: bool,
    account: int | None,
    deal: int | None,
    meeting_number: int | None = None,
) -> DealTouch:
    return (str(kind), str(channel), str(outcome), prospecting, account, deal, meeting_number)


PROSPECTING_DECK = _deck(PROSPECTING_TOUCHES, True)
FOLLOW_UP_DECK = _deck(FOLLOW_UP_TOUCHES, False)


def touch_scale(activities_per_rep_week: float | None) -> float:
    """Touches relative to the typical 50 a week, for a wanted number of
    activities per rep-week (None: the realistic default)."""
    if activities_per_rep_week is None:
        return 1.0
    touches = max(0.0, activities_per_rep_week - OTHER_ACTIVITIES_PER_WEEK)
    return touches / BASELINE.weekly_touches


def _first_meeting_channel(rng: random.Random) -> str:
    channels, weights = zip(*FIRST_MEETING_CHANNELS, strict=True)
    return str(rng.choices(channels, weights)[0])


def _working_day_before(timeline: RepTimeline, day: date) -> date:
    while not timeline.calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def deal_touches(
    rng: random.Random,
    timeline: RepTimeline,
    plan: DealPlan,
    *,
    deal_id: int,
    account_id: int,
    first_day: date,
    today: date,
) -> Iterator[tuple[date, DealTouch]]:
    """The activities that move one deal along, each with its day: the first
    meeting that opened it, the second meeting when it engaged, a demo, the
    proposal, negotiation calls, and follow-up e-mails while it is open.
    Only days from `first_day` (and the rep's start) to yesterday are kept."""
    calendar = timeline.calendar
    entries = plan.stage_entries
    last = min(plan.closed_on or today, today - timedelta(days=1))
    prospecting = plan.type == DealType.NEW_BUSINESS
    ids = (account_id, deal_id)
    events: list[tuple[date, DealTouch]] = []

    channel = _first_meeting_channel(rng)
    first = _working_day_before(timeline, plan.created_on - timedelta(days=rng.randint(0, 4)))
    events.append((first, _touch(Kind.MEETING, channel, Outcome.HELD, prospecting, *ids, 1)))
    if len(entries) > 1:
        events.append(
            (entries[1], _touch(Kind.MEETING, Channel.VIDEO, Outcome.HELD, False, *ids, 2))
        )
        until = entries[2] if len(entries) > 2 else last
        if until > entries[1]:
            demo_day = entries[1] + timedelta(days=rng.randint(1, (until - entries[1]).days))
            events.append(
                (demo_day, _touch(Kind.DEMO, Channel.VIDEO, Outcome.COMPLETED, False, *ids))
            )
    if len(entries) > 2:
        proposal = _touch(Kind.PROPOSAL, Channel.EMAIL, Outcome.COMPLETED, False, *ids)
        events.append((entries[2], proposal))
    if len(entries) > 3:
        until = max(entries[3], last)
        for _ in range(rng.randint(1, 2)):
            day = entries[3] + timedelta(days=rng.randint(0, (until - entries[3]).days))
            events.append((day, _touch(Kind.CALL, Channel.PHONE, Outcome.CONNECTED, False, *ids)))
    day = plan.created_on + timedelta(days=rng.randint(4, 9))
    while day <= last:
        outcome = Outcome.REPLIED if rng.random() < 0.3 else Outcome.NONE
        events.append((day, _touch(Kind.EMAIL, Channel.EMAIL, outcome, False, *ids)))
        day += timedelta(days=rng.randint(7, 14))

    start = max(first_day, timeline.start_date)
    for day, touch in events:
        if start <= day <= last and calendar.is_working_day(day):
            yield day, touch


def activity_rows(
    rng: random.Random,
    timeline: RepTimeline,
    *,
    person_id: int,
    first_day: date,
    today: date,
    deal_events: dict[date, list[DealTouch]],
    prospect_ids: Sequence[int],
    customer_ids: Sequence[int],
    stamp: Callable[[date, int], object],
    scale: float = 1.0,
) -> Iterator[tuple]:
    """Every activity of one rep from `first_day` to yesterday, as rows in
    `ACTIVITY_FIELDS` order; `stamp(day, minute)` gives the stored time.

    `deal_events` holds the deal touches (from `deal_touches`) by day; they are
    emitted on their day among the rep's other touches.
    """
    calendar = timeline.calendar
    random_ = rng.random
    prospecting_deck, follow_up_deck = PROSPECTING_DECK, FOLLOW_UP_DECK
    n_prospecting, n_follow_up = len(prospecting_deck), len(follow_up_deck)
    week_factor, week = 1.0, None
    daily = Dither(rng)
    stopped = timeline.prospecting_stopped_on
    day = max(first_day, timeline.start_date)
    while day < today:
        if not calendar.is_working_day(day):
            day += timedelta(days=1)
            continue
        if day.isocalendar()[:2] != week:
            week = day.isocalendar()[:2]
            week_factor = min(1.3, max(0.7, rng.gauss(1.0, WEEK_SPREAD)))
        prospects = timeline.prospects(day)
        share = PROSPECTING_SHARE if prospects else 0.0
        mean = TOUCHES_PER_DAY * scale * timeline.activity(day) * week_factor
        if stopped and day >= stopped:
            mean *= BUSY_WITH_PIPELINE
        touches = daily.count(mean, jitter=min(DAILY_JITTER, 1 + 0.3 * mean))
        for _ in range(touches):
            minute = DAY_STARTS + int(random_() * DAY_MINUTES)
            if random_() < share:
                kind, channel, outcome, is_prospecting = prospecting_deck[
                    int(random_() * n_prospecting)
                ]
                account = rng.choice(prospect_ids) if random_() < NAMED_PROSPECT_SHARE else None
            else:
                kind, channel, outcome, is_prospecting = follow_up_deck[
                    int(random_() * n_follow_up)
                ]
                on_customer = customer_ids and random_() < FOLLOW_UP_ON_CUSTOMER_SHARE
                account = rng.choice(customer_ids) if on_customer else None
            yield (
                person_id,
                kind,
                channel,
                outcome,
                is_prospecting,
                stamp(day, minute),
                account,
                None,
                None,
            )
        if prospects:
            # First meetings that did not (or not yet) become an opportunity.
            mean = OPPORTUNITIES_PER_DAY * timeline.opportunities(day) * MEETINGS_PER_OPPORTUNITY
            for _ in range(poisson(rng, mean)):
                channel = _first_meeting_channel(rng)
                outcome = NO_SHOW if random_() < NO_SHOW_CHANCE else HELD
                minute = DAY_STARTS + int(random_() * DAY_MINUTES)
                account = rng.choice(prospect_ids) if prospect_ids else None
                yield (
                    person_id,
                    MEETING,
                    channel,
                    outcome,
                    True,
                    stamp(day, minute),
                    account,
                    None,
                    1,
                )
        for kind, channel, outcome, is_prospecting, account, deal, number in deal_events.get(
            day, ()
        ):
            minute = DAY_STARTS + int(random_() * DAY_MINUTES)
            yield (
                person_id,
                kind,
                channel,
                outcome,
                is_prospecting,
                stamp(day, minute),
                account,
                deal,
                number,
            )
        day += timedelta(days=1)
