"""Campaigns, campaign messages and memberships, with planted effects (see effects.py).

Everything here is drawn from its own random streams and only reads what the other modules already
simulated (people, qualifying orders, live visits), so the other tables stay byte-identical.

A campaign effect cannot add orders or visits. It is planted the way a potential-outcomes story
allows: among the people selected for a campaign, some of those who came back are "compliers" (they
came back only because of the message) and are always in the treated group; everybody else is split
at random between treated, control and (live reminders) not selected. The complier share is chosen
per campaign and chunk so that the expected difference between the treated and the untreated rate
is the planted uplift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from livewh.enumerations import enum_values
from livewh.generate import effects, ids
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig
from livewh.generate.live import Attendances, Sessions
from livewh.generate.markets import Markets
from livewh.generate.orders import CHAIN, SAME_DAY, PlannedOrders
from livewh.generate.people import People
from livewh.generate.tables import NULL_INT, Frame, Text

# the contract's values, in their declared order (dbt_project.yml vars.enumerations)
CHANNELS = enum_values("campaign_channel")
OBJECTIVES = enum_values("campaign_objective")
WINBACK, REACTIVATION, CROSS_SELL, MEMBER_OFFER, LIVE_REMINDER = range(5)
HOUR = 3600


@dataclass(frozen=True)
class CampaignPlan:
    """The shop's campaigns (the same for every chunk of people)."""

    kind: np.ndarray  # WINBACK, REACTIVATION, ...
    channel: np.ndarray  # index into CHANNELS
    objective: np.ndarray  # index into OBJECTIVES
    start: np.ndarray
    end: np.ndarray  # NULL_INT = open
    market: np.ndarray  # -1 = every market
    session: np.ndarray  # -1 = no broadcast
    name: list[str]
    campaign_id: pa.Array

    def __len__(self) -> int:
        return len(self.kind)

    def first(self, kind: int) -> int:
        return int(np.flatnonzero(self.kind == kind)[0])

    def frame(self, markets: Markets, sessions: Sessions) -> Frame:
        return {
            "campaign_id": Text.of(self.campaign_id),
            "channel": Text.pick(CHANNELS, self.channel),
            "objective": Text.pick(OBJECTIVES, self.objective),
            "started_at": self.start,
            "name": Text.of(self.name),
            "ended_at": self.end,
            "market_country_code": Text.pick(markets.codes, self.market),
            "session_id": Text(sessions.session_id, self.session),
            "_market": self.market,
        }


def _day_at(config: GenerateConfig, share: float) -> int:
    """Midnight UTC of the day at ``share`` of the period."""
    return (config.first_day + int(config.days * share)) * SECONDS_PER_DAY


def make_plan(config: GenerateConfig, markets: Markets, sessions: Sessions) -> CampaignPlan:
    """Four campaigns for every shop plus one live reminder per chosen broadcast."""
    kinds = [WINBACK, REACTIVATION, CROSS_SELL, MEMBER_OFFER]
    channels = [CHANNELS.index(c) for c in ("push", "email", "in_app", "email")]
    objectives = [OBJECTIVES.index(o) for o in OBJECTIVES if o not in ("live_reminder", "other")]
    starts = [
        config.start_ts + effects.WINBACK_START_DAY * SECONDS_PER_DAY,
        _day_at(config, effects.REACTIVATION_AT_SHARE),
        _day_at(config, effects.CROSS_SELL_AT_SHARE),
        _day_at(config, effects.MEMBER_OFFER_AT_SHARE),
    ]
    ends = [NULL_INT] + [start + 2 * SECONDS_PER_DAY for start in starts[1:]]
    names = [
        "Win-back push (always on)",
        "We miss you: reactivation email",
        "You may also like (in-app)",
        "Members' early access",
    ]
    largest = np.argsort(-markets.weight, kind="stable")[: effects.LIVE_REMINDER_MARKETS]
    reminded: list[int] = []
    first = config.start_ts + effects.LIVE_REMINDER_START_DAY * SECONDS_PER_DAY
    marks = np.arange(first, config.end_ts, effects.LIVE_REMINDER_EVERY_DAYS * SECONDS_PER_DAY)
    for market in sorted(largest.tolist()):
        # the first broadcast of the market from each mark on (a fixed rhythm whatever the shop's size)
        pool = np.flatnonzero(sessions.market == market)
        chosen = sessions.next_in_pool(pool, marks) if len(pool) else np.zeros(0, dtype=np.int64)
        reminded.extend(np.unique(chosen[chosen >= 0]).tolist())
    reminded_sessions = np.array(sorted(reminded, key=lambda s: (sessions.start[s], s)), dtype=np.int64)
    announced = np.where(
        sessions.scheduled[reminded_sessions] == NULL_INT,
        sessions.start[reminded_sessions],
        sessions.scheduled[reminded_sessions],
    )
    lead = effects.LIVE_REMINDER_LEAD_HOURS * HOUR
    session_ids = sessions.session_id.take(pa.array(reminded_sessions)).to_pylist()
    n = len(kinds) + len(reminded_sessions)
    return CampaignPlan(
        kind=np.array(kinds + [LIVE_REMINDER] * len(reminded_sessions), dtype=np.int64),
        channel=np.array(channels + [CHANNELS.index("live_reminder")] * len(reminded_sessions)),
        objective=np.array(objectives + [OBJECTIVES.index("live_reminder")] * len(reminded_sessions)),
        start=np.concatenate([np.array(starts, dtype=np.int64), announced - lead]),
        end=np.concatenate([np.array(ends, dtype=np.int64), announced]),
        market=np.concatenate([np.full(len(kinds), -1), sessions.market[reminded_sessions]]).astype(np.int64),
        session=np.concatenate([np.full(len(kinds), -1), reminded_sessions]).astype(np.int64),
        name=names + [f"Live reminder: {session_id}" for session_id in session_ids],
        campaign_id=ids.campaign_ids(np.arange(n)),
    )


# --- who did what, per person ------------------------------------------------------------------------
@dataclass(frozen=True)
class Activity:
    """Per person, sorted activity times (qualifying orders and live visits) and purchase times."""

    person: np.ndarray  # sorted by (person, at)
    at: np.ndarray
    key: np.ndarray  # person * _SPAN + at (sorted)
    person_start: np.ndarray  # per person: first row in person/at (n_people + 1 entries)
    first_purchase: np.ndarray  # per person, NULL_INT when never
    visit_key: np.ndarray  # sorted person * n_sessions + session of every visit
    n_sessions: int

    def last_before(self, person: np.ndarray, when: np.ndarray) -> np.ndarray:
        """The latest activity strictly before ``when`` (NULL_INT: none)."""
        position = np.searchsorted(self.key, person * _SPAN + when, side="left") - 1
        found = position >= self.person_start[person]
        return np.where(found, self.at[np.maximum(position, 0)], NULL_INT)

    def next_at_or_after(self, person: np.ndarray, when: np.ndarray) -> np.ndarray:
        """The earliest activity at or after ``when`` (NULL_INT: none)."""
        position = np.searchsorted(self.key, person * _SPAN + when, side="left")
        found = position < self.person_start[person + 1]
        return np.where(found, self.at[np.minimum(position, len(self.at) - 1)], NULL_INT)

    def attended(self, person: np.ndarray, session: np.ndarray) -> np.ndarray:
        key = person * self.n_sessions + session
        position = np.searchsorted(self.visit_key, key)
        return (position < len(self.visit_key)) & (
            self.visit_key[np.minimum(position, len(self.visit_key) - 1)] == key
        )


#: Activity times are seconds since 1970 (< 2**36); person * _SPAN + at sorts by person, then time.
_SPAN = 2**36


def activity_of(people: People, planned: PlannedOrders, visits: Attendances, n_sessions: int) -> Activity:
    qualifying = (planned.kind == CHAIN) | (planned.kind == SAME_DAY)
    seen = visits.person >= 0
    person = np.concatenate([planned.person[qualifying], visits.person[seen]]).astype(np.int64)
    at = np.concatenate([planned.at[qualifying], visits.join[seen]]).astype(np.int64)
    order = np.argsort(person * _SPAN + at, kind="stable")
    person, at = person[order], at[order]
    person_start = np.searchsorted(person, np.arange(people.n_people + 1))
    first_purchase = np.full(people.n_people, NULL_INT, dtype=np.int64)
    chain = planned.kind == CHAIN
    firsts = chain & (planned.number == 1)
    first_purchase[planned.person[firsts]] = planned.at[firsts]
    visit_key = np.unique(visits.person[seen].astype(np.int64) * n_sessions + visits.session[seen])
    return Activity(person, at, person * _SPAN + at, person_start, first_purchase, visit_key, n_sessions)


# --- planting ------------------------------------------------------------------------------------------
def complier_share(outcome: np.ndarray, treated_share: float, uplift: float) -> float:
    """Share of positives made compliers (always treated): E[treated rate] - E[untreated rate] = uplift.

    The non-compliers are treated with probability ``treated_share``; the untreated rate is the rate
    of the non-compliers (control and not selected alike).
    """
    n, positives = len(outcome), int(outcome.sum())
    if n == 0 or positives == 0 or uplift <= 0:
        return 0.0

    def gap(share: float) -> float:
        compliers = share * positives
        untreated = (positives - compliers) / (n - compliers) if n > compliers else 0.0
        treated = (compliers + treated_share * (positives - compliers)) / (
            compliers + treated_share * (n - compliers)
        )
        return treated - untreated

    if gap(1.0) <= uplift:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < uplift else (low, middle)
    return (low + high) / 2


TREATED, CONTROL, NOT_SELECTED = 0, 1, 2


def assign(
    outcome: np.ndarray,
    control_share: float,
    selected_share: float,
    uplift: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """TREATED, CONTROL or NOT_SELECTED per candidate, compliers always treated."""
    treated_share = selected_share * (1 - control_share)
    share = complier_share(outcome, treated_share, uplift)
    complier = outcome & (rng.random(len(outcome)) < share)
    u = rng.random(len(outcome))
    arm = np.where(
        u < treated_share,
        TREATED,
        np.where(u < treated_share + selected_share * control_share, CONTROL, NOT_SELECTED),
    )
    return np.where(complier, TREATED, arm)


@dataclass
class Messages:
    campaign: list[np.ndarray]
    person: list[np.ndarray]
    at: list[np.ndarray]
    control: list[np.ndarray]
    outcome: list[np.ndarray]

    def add(
        self, campaign: int, person: np.ndarray, at: np.ndarray, control: np.ndarray, outcome: np.ndarray
    ) -> None:
        self.campaign.append(np.full(len(person), campaign, dtype=np.int64))
        self.person.append(person.astype(np.int64))
        self.at.append(at.astype(np.int64))
        self.control.append(control.astype(bool))
        self.outcome.append(outcome.astype(bool))


def _local_time_on_day(
    markets: Markets,
    market: np.ndarray,
    day_start: np.ndarray,
    rng: np.random.Generator,
    first_hour: float,
    last_hour: float,
) -> np.ndarray:
    """UTC instants at a local hour in [first_hour, last_hour) of the local day starting at day_start."""
    local = day_start + (rng.uniform(first_hour, last_hour, len(market)) * HOUR).astype(np.int64)
    return markets.offsets.to_utc(market, local)


def _returned(activity: Activity, person: np.ndarray, at: np.ndarray, days: int) -> np.ndarray:
    following = activity.next_at_or_after(person, at)
    return (following != NULL_INT) & (following < at + days * SECONDS_PER_DAY)


def winback_messages(
    config: GenerateConfig,
    markets: Markets,
    people: People,
    activity: Activity,
    campaign: int,
    messages: Messages,
    rng: np.random.Generator,
) -> None:
    """On the WINBACK_SILENT_DAYS-th day after a buyer's last activity, while the flow runs."""
    silent = effects.WINBACK_SILENT_DAYS * SECONDS_PER_DAY
    person, at = activity.person, activity.at
    following = np.r_[at[1:], NULL_INT]
    last_of_person = np.r_[person[1:] != person[:-1], True]
    following = np.where(last_of_person, np.iinfo(np.int64).max, following)
    bought = activity.first_purchase[person]
    start = config.start_ts + effects.WINBACK_START_DAY * SECONDS_PER_DAY
    trigger_day = (at + silent) // SECONDS_PER_DAY * SECONDS_PER_DAY
    due = (
        (bought != NULL_INT)
        & (at >= bought)
        & (following - at > silent + 2 * SECONDS_PER_DAY)
        & (trigger_day >= start)
        & (trigger_day + SECONDS_PER_DAY < config.end_ts)
    )
    rows = np.flatnonzero(due)
    who = person[rows]
    sent = _local_time_on_day(markets, people.market[who], trigger_day[rows], rng, 10, 21)
    sent = np.maximum(sent, at[rows] + 1)
    outcome = _returned(activity, who, sent, effects.WINBACK_WINDOW_DAYS)
    arm = assign(outcome, effects.WINBACK_CONTROL_SHARE, 1.0, effects.WINBACK_UPLIFT, rng)
    messages.add(campaign, who, sent, arm == CONTROL, outcome)


def one_shot_messages(
    markets: Markets,
    people: People,
    activity: Activity,
    plan: CampaignPlan,
    campaign: int,
    candidates: np.ndarray,
    control_share: float,
    selected_share: float,
    messages: Messages,
    rng: np.random.Generator,
) -> None:
    """A campaign sent to ``candidates`` on its start day (no planted uplift)."""
    day = np.full(len(candidates), plan.start[campaign])
    sent = _local_time_on_day(markets, people.market[candidates], day, rng, 9, 20)
    outcome = _returned(activity, candidates, sent, effects.WINBACK_WINDOW_DAYS)
    arm = assign(outcome, control_share, selected_share, 0.0, rng)
    keep = arm != NOT_SELECTED
    messages.add(campaign, candidates[keep], sent[keep], arm[keep] == CONTROL, outcome[keep])


def reminder_messages(
    sessions: Sessions,
    visits: Attendances,
    activity: Activity,
    plan: CampaignPlan,
    messages: Messages,
    rng: np.random.Generator,
) -> None:
    """For each reminded broadcast: recent visitors of its market, some reminded, some held out."""
    seen = visits.person >= 0
    market = sessions.market[visits.session[seen]]
    join = visits.join[seen]
    person = visits.person[seen]
    order = np.lexsort((join, market))
    market, join, person = market[order], join[order], person[order]
    lookback = effects.LIVE_REMINDER_LOOKBACK_DAYS * SECONDS_PER_DAY
    campaigns: list[np.ndarray] = []
    pools: list[np.ndarray] = []
    for campaign in np.flatnonzero(plan.kind == LIVE_REMINDER):
        sent_at, where = plan.start[campaign], plan.market[campaign]
        low = np.searchsorted(market, where, side="left")
        high = np.searchsorted(market, where, side="right")
        first = low + np.searchsorted(join[low:high], sent_at - lookback, side="left")
        last = low + np.searchsorted(join[low:high], sent_at, side="left")
        pool = np.unique(person[first:last])
        campaigns.append(np.full(len(pool), campaign, dtype=np.int64))
        pools.append(pool)
    if not pools:
        return
    campaign_of = np.concatenate(campaigns)
    pool = np.concatenate(pools)
    # one complier share for all the chunk's reminders: the planted uplift is the pooled difference
    outcome = activity.attended(pool, plan.session[campaign_of])
    arm = assign(
        outcome,
        effects.LIVE_REMINDER_CONTROL_SHARE,
        effects.LIVE_REMINDER_SELECTED_SHARE,
        effects.LIVE_REMINDER_UPLIFT,
        rng,
    )
    keep = arm != NOT_SELECTED
    sent = plan.start[campaign_of[keep]] + rng.integers(-600, 600, int(keep.sum()))
    for campaign in np.unique(campaign_of[keep]):
        rows = campaign_of[keep] == campaign
        messages.add(
            int(campaign), pool[keep][rows], sent[rows], arm[keep][rows] == CONTROL, outcome[keep][rows]
        )


# --- memberships ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spells:
    person: np.ndarray
    account: np.ndarray
    tier: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NULL_INT = still a member
    points: np.ndarray


def _month_end(seconds: np.ndarray) -> np.ndarray:
    """Midnight UTC after the last day of each instant's month."""
    month = seconds.astype("datetime64[s]").astype("datetime64[M]") + 1
    return month.astype("datetime64[s]").astype(np.int64)


def make_memberships(
    config: GenerateConfig, people: People, planned: PlannedOrders, rng: np.random.Generator
) -> Spells:
    chain = np.flatnonzero(planned.kind == CHAIN)
    order = chain[np.lexsort((planned.number[chain], planned.person[chain]))]
    person, number, at = planned.person[order], planned.number[order], planned.at[order]
    join = at + (rng.uniform(0.5, effects.MEMBER_JOIN_DAYS, len(order)) * SECONDS_PER_DAY).astype(np.int64)
    # the outcome membership is planted on: a purchase day within 90 days after the join month ends
    window_start = _month_end(join)
    window_end = window_start + effects.MEMBER_OUTCOME_DAYS * SECONDS_PER_DAY
    same_person = np.searchsorted(person, person, side="right")
    later = np.zeros(len(order), dtype=bool)
    for step in range(1, 40):  # the next purchases of the same person (chains are short)
        candidate = np.arange(len(order)) + step
        valid = candidate < same_person
        if not valid.any():
            break
        when = at[np.minimum(candidate, len(order) - 1)]
        later |= valid & (when >= window_start) & (when < window_end)
    probability = np.array(effects.MEMBER_JOIN_PROBABILITY)[np.minimum(number, 4) - 1]
    probability = probability + later * (1 - probability) * effects.MEMBER_COMPLIER_SHARE
    joins = (rng.random(len(order)) < probability) & (join < config.end_ts - SECONDS_PER_DAY)
    rows = np.flatnonzero(joins)
    member_rows = rows[np.r_[True, person[rows][1:] != person[rows][:-1]]] if len(rows) else rows
    who = person[member_rows]
    started = join[member_rows]
    account = people.account_at(who, started, rng)
    has_account = account >= 0
    member_rows, who, started, account = (
        member_rows[has_account],
        who[has_account],
        started[has_account],
        account[has_account],
    )
    # upgrade after MEMBER_UPGRADE_PURCHASE_DAYS further purchase days, if the chain gets there
    target = member_rows + effects.MEMBER_UPGRADE_PURCHASE_DAYS
    upgraded = (target < same_person[member_rows]) & (target < len(order))
    upgrade_at = np.where(upgraded, at[np.minimum(target, len(order) - 1)] + HOUR, NULL_INT)
    upgraded &= (upgrade_at > started) & (upgrade_at < config.end_ts - HOUR)
    leave_at = started + (rng.uniform(60, 300, len(who)) * SECONDS_PER_DAY).astype(np.int64)
    leaves = (rng.random(len(who)) < effects.MEMBER_LEAVE_SHARE) & (leave_at < config.end_ts - HOUR)
    leaves &= ~upgraded | (leave_at > upgrade_at)
    purchases_after = same_person[member_rows] - member_rows - 1
    points_first = 100 * np.minimum(purchases_after, effects.MEMBER_UPGRADE_PURCHASE_DAYS) + rng.integers(
        0, 100, len(who)
    )
    points_second = 100 * np.maximum(
        purchases_after - effects.MEMBER_UPGRADE_PURCHASE_DAYS, 0
    ) + rng.integers(0, 100, len(who))
    first_end = np.where(upgraded, upgrade_at, np.where(leaves, leave_at, NULL_INT))
    second = np.flatnonzero(upgraded)
    return Spells(
        person=np.concatenate([who, who[second]]),
        account=np.concatenate([account, account[second]]),
        tier=np.concatenate([np.zeros(len(who), dtype=np.int64), np.ones(len(second), dtype=np.int64)]),
        start=np.concatenate([started, upgrade_at[second]]),
        end=np.concatenate([first_end, np.where(leaves[second], leave_at[second], NULL_INT)]),
        points=np.concatenate([points_first, points_second[second]]).astype(np.int64),
    )


def members_at(spells: Spells, when: int) -> np.ndarray:
    active = (spells.start <= when) & ((spells.end == NULL_INT) | (spells.end > when))
    return np.unique(spells.person[active])


def memberships_frame(people: People, spells: Spells) -> Frame:
    order = np.argsort(spells.start, kind="stable")
    return {
        "customer_id": Text(people.customer_id, spells.account[order]),
        "tier": Text.pick(effects.MEMBER_TIERS, spells.tier[order]),
        "started_at": spells.start[order],
        "ended_at": spells.end[order],
        "points_balance": spells.points[order],
        "_market": people.market[spells.person[order]],
    }


# --- messages --------------------------------------------------------------------------------------------
def make_messages(
    config: GenerateConfig,
    markets: Markets,
    sessions: Sessions,
    plan: CampaignPlan,
    people: People,
    planned: PlannedOrders,
    visits: Attendances,
    spells: Spells,
    first_message: int,
    rng: np.random.Generator,
) -> Frame:
    activity = activity_of(people, planned, visits, len(sessions))
    messages = Messages([], [], [], [], [])
    winback_messages(config, markets, people, activity, plan.first(WINBACK), messages, rng)

    everybody = np.arange(people.n_people)
    reactivation = plan.first(REACTIVATION)
    when = np.full(people.n_people, plan.start[reactivation])
    last = activity.last_before(everybody, when)
    bought = (activity.first_purchase != NULL_INT) & (activity.first_purchase < when)
    churned = everybody[
        bought & (last != NULL_INT) & (last < when - effects.REACTIVATION_CHURNED_DAYS * SECONDS_PER_DAY)
    ]
    one_shot_messages(
        markets,
        people,
        activity,
        plan,
        reactivation,
        churned,
        effects.REACTIVATION_CONTROL_SHARE,
        1.0,
        messages,
        rng,
    )

    cross_sell = plan.first(CROSS_SELL)
    when = np.full(people.n_people, plan.start[cross_sell])
    last = activity.last_before(everybody, when)
    bought = (activity.first_purchase != NULL_INT) & (activity.first_purchase < when)
    active = everybody[
        bought & (last != NULL_INT) & (last >= when - effects.CROSS_SELL_ACTIVE_DAYS * SECONDS_PER_DAY)
    ]
    one_shot_messages(
        markets, people, activity, plan, cross_sell, active, 0.0, effects.CROSS_SELL_SHARE, messages, rng
    )

    offer = plan.first(MEMBER_OFFER)
    members = members_at(spells, int(plan.start[offer]))
    one_shot_messages(markets, people, activity, plan, offer, members, 0.0, 1.0, messages, rng)

    reminder_messages(sessions, visits, activity, plan, messages, rng)

    campaign = np.concatenate(messages.campaign) if messages.campaign else np.zeros(0, dtype=np.int64)
    person = np.concatenate(messages.person) if messages.person else np.zeros(0, dtype=np.int64)
    sent = np.concatenate(messages.at) if messages.at else np.zeros(0, dtype=np.int64)
    control = np.concatenate(messages.control) if messages.control else np.zeros(0, dtype=bool)
    outcome = np.concatenate(messages.outcome) if messages.outcome else np.zeros(0, dtype=bool)
    account = people.account_at(person, sent, rng)
    keep = (account >= 0) & (sent < config.end_ts)
    campaign, person, sent, control, outcome, account = (
        array[keep] for array in (campaign, person, sent, control, outcome, account)
    )
    order = np.lexsort((campaign, sent))
    campaign, person, sent, control, outcome, account = (
        array[order] for array in (campaign, person, sent, control, outcome, account)
    )
    n = len(sent)
    delivered = np.full(n, NULL_INT, dtype=np.int64)
    opened = np.full(n, NULL_INT, dtype=np.int64)
    clicked = np.full(n, NULL_INT, dtype=np.int64)
    for channel, (p_delivered, p_open, p_open_outcome, p_click) in effects.MESSAGE_BEHAVIOUR.items():
        rows = np.flatnonzero((plan.channel[campaign] == CHANNELS.index(channel)) & ~control)
        got = rng.random(len(rows)) < p_delivered
        delivered[rows[got]] = sent[rows[got]] + rng.integers(1, 600, int(got.sum()))
        p = np.where(outcome[rows], p_open_outcome, p_open)
        opens = got & (rng.random(len(rows)) < p)
        opened[rows[opens]] = delivered[rows[opens]] + (rng.exponential(1.5, int(opens.sum())) * HOUR).astype(
            np.int64
        )
        clicks = opens & (rng.random(len(rows)) < p_click)
        clicked[rows[clicks]] = opened[rows[clicks]] + rng.integers(5, 600, int(clicks.sum()))
    for column in (delivered, opened, clicked):
        column[(column != NULL_INT) & (column >= config.end_ts)] = NULL_INT
    return {
        "message_id": Text.of(ids.message_ids(first_message + np.arange(n))),
        "campaign_id": Text(plan.campaign_id, campaign),
        "customer_id": Text(people.customer_id, account),
        "sent_at": sent,
        "is_control": control.astype(np.int64),
        "delivered_at": delivered,
        "opened_at": opened,
        "clicked_at": clicked,
        "_market": people.market[person],
    }
