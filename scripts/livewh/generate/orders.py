"""Purchases: the planted first-purchase and repurchase chain, then orders, order_items and refunds.

The chain (one per buying person) decides every qualifying purchase day. On top of it come orders a
mart must not count as extra purchase days: a second order on the same local day, cancelled orders
and orders refunded in full. Partial refunds hit chain orders but leave them qualifying.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from livewh.enumerations import enum_values
from livewh.generate import effects, ids
from livewh.generate.catalog import Catalog, draw_category
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig
from livewh.generate.live import (
    Attendances,
    Audience,
    Sessions,
    experienced_latency,
    make_visits,
    purchase_visits,
)
from livewh.generate.markets import Markets
from livewh.generate.money import FxTable
from livewh.generate.people import People
from livewh.generate.tables import NULL_INT, Frame, Text

#: Local hour of orders placed outside live sessions: evenings, and a fair share around midnight.
ORDER_HOUR_SHARE = np.array(
    [45, 20, 10, 5, 5, 8, 15, 25, 35, 40, 45, 50, 60, 55, 45, 45, 45, 50, 55, 65, 75, 75, 70, 60],
    dtype=np.float64,
)
ORDER_HOUR_SHARE /= ORDER_HOUR_SHARE.sum()
SALES_CHANNELS = enum_values("sales_channel")
LIVE, MARKETPLACE = SALES_CHANNELS.index("live"), SALES_CHANNELS.index("marketplace")
#: share of each sales channel (in SALES_CHANNELS order) among orders not placed in a live session
OTHER_CHANNEL_SHARE = np.array(
    [{"live": 0.0, "web": 0.30, "app": 0.45, "marketplace": 0.22, "other": 0.03}[c] for c in SALES_CHANNELS]
)
STATUSES = enum_values("order_status")
STATUS_INDEX = {status: index for index, status in enumerate(STATUSES)}
PLACED, PAID, SHIPPED = STATUS_INDEX["placed"], STATUS_INDEX["paid"], STATUS_INDEX["shipped"]
DELIVERED, COMPLETED = STATUS_INDEX["delivered"], STATUS_INDEX["completed"]
CANCELLED, REFUNDED = STATUS_INDEX["cancelled"], STATUS_INDEX["refunded"]
CHAIN, SAME_DAY, CANCELLED_EXTRA, REFUNDED_EXTRA = 0, 1, 2, 3


@dataclass
class PlannedOrders:
    person: np.ndarray
    account: np.ndarray
    at: np.ndarray
    category: np.ndarray
    product: np.ndarray  # product of the first line (the one clicked in the live room)
    session: np.ndarray  # attributed live session, -1 = not a live order
    kind: np.ndarray  # CHAIN, SAME_DAY, CANCELLED_EXTRA, REFUNDED_EXTRA
    number: np.ndarray  # position in the person's chain (1 = first purchase), 0 for extras
    delivery: np.ndarray  # seconds from order to delivery

    def __len__(self) -> int:
        return len(self.at)

    @staticmethod
    def concat(parts: list[PlannedOrders]) -> PlannedOrders:
        return PlannedOrders(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(PlannedOrders))
        )

    def subset(self, rows: np.ndarray) -> PlannedOrders:
        return PlannedOrders(*(getattr(self, f.name)[rows] for f in fields(PlannedOrders)))


@dataclass
class FirstPurchases:
    """Per person: the first qualifying order (at = NULL_INT when the person never buys)."""

    at: np.ndarray
    session: np.ndarray
    category: np.ndarray
    product: np.ndarray
    delivery_days: np.ndarray
    visits: Attendances  # purchase visits of live first orders
    failed_visits: Attendances  # live attempts that bad quality stopped: watched, did not buy

    @property
    def buyer(self) -> np.ndarray:
        return self.at != NULL_INT


def order_time_on_day(
    markets: Markets, market: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A UTC instant on each local day, at an hour people shop."""
    hour = rng.choice(24, size=len(day), p=ORDER_HOUR_SHARE)
    local = day * SECONDS_PER_DAY + hour * 3600 + rng.integers(0, 3600, len(day))
    return markets.offsets.to_utc(market, local)


def _delivery_days(markets: Markets, market: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(markets.delivery_days_min[market], markets.delivery_days_max[market] + 1)


def _delivery_seconds(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return days * SECONDS_PER_DAY + rng.integers(-6 * 3600, 6 * 3600, len(days))


def plan_first_purchases(
    config: GenerateConfig,
    markets: Markets,
    sessions: Sessions,
    people: People,
    audience: Audience,
    catalog: Catalog,
    rng: np.random.Generator,
) -> FirstPurchases:
    n = people.n_people
    channel, market = people.channel, people.market
    created = people.first_created
    base = np.maximum(created, config.start_ts)
    wants = rng.random(n) < effects.BUYER_PROBABILITY[channel]
    wait = np.where(
        rng.random(n) < effects.SAME_DAY_FIRST_PURCHASE,
        0,
        np.ceil(rng.exponential(effects.FIRST_PURCHASE_MEAN_DAYS, n)).astype(np.int64),
    )
    live = wants & audience.is_viewer & (rng.random(n) < effects.LIVE_FIRST_PROBABILITY[channel])

    # outside live: on the sign-up day (a little after signing up) or on a later day
    at = np.where(
        wait == 0,
        base + rng.integers(120, 3 * 3600, n),
        order_time_on_day(markets, market, markets.offsets.local_day(market, base) + wait, rng),
    )
    session = np.full(n, -1, dtype=np.int64)

    # in a live room: the sign-up session itself, or the next broadcast for the market
    in_signup = live & (people.signup_session >= 0) & (wait == 0)
    session[in_signup] = people.signup_session[in_signup]
    later = np.flatnonzero(live & ~in_signup)
    session[later] = sessions.next_for_market(market[later], base[later] + wait[later] * SECONDS_PER_DAY)
    trying = np.flatnonzero(live & (session >= 0))
    s = session[trying]
    low = np.maximum(sessions.start[s] + 60, created[trying] + 60)
    high = sessions.end[s] - 30
    during = (rng.random(len(trying)) < 0.7) & (low < high)
    in_show = low + (rng.random(len(trying)) * np.maximum(high - low, 0)).astype(np.int64)
    after_show = np.maximum(sessions.end[s], created[trying]) + rng.integers(600, 72 * 3600, len(trying))
    at[trying] = np.where(during, in_show, after_show)
    latency = experienced_latency(sessions, markets, audience, s, audience.device[trying])
    failed = rng.random(len(trying)) >= effects.conversion_factor(latency)

    buys = wants.copy()
    buys[trying[failed]] = False
    session[trying[failed]] = -1
    buys &= at < config.end_ts
    at = np.where(buys, at, NULL_INT)
    session = np.where(buys, session, -1)
    category = np.where(
        (session >= 0) & (rng.random(n) < 0.7),
        sessions.category[np.maximum(session, 0)],
        draw_category(n, rng),
    )
    product = catalog.pick(category, rng)

    bought_live = np.flatnonzero(session >= 0)
    visits = purchase_visits(
        markets,
        sessions,
        audience,
        bought_live,
        session[bought_live],
        at[bought_live],
        product[bought_live],
        rng,
    )
    failed_person = trying[failed]
    failed_visits = make_visits(
        sessions,
        markets,
        audience,
        audience.device[failed_person],
        failed_person,
        s[failed],
        audience.engagement[failed_person],
        rng,
    )
    return FirstPurchases(
        at=at,
        session=session,
        category=category,
        product=product,
        delivery_days=_delivery_days(markets, market, rng),
        visits=visits,
        failed_visits=failed_visits,
    )


def repeat_probability(
    people: People, first: FirstPurchases, interactions: np.ndarray, latency: np.ndarray
) -> np.ndarray:
    """The planted chance of each person to buy again after the first purchase (see effects.py)."""
    multiplier = (
        effects.REPEAT_CHANNEL_MULTIPLIER[people.channel]
        * effects.REPEAT_CATEGORY_MULTIPLIER[first.category]
        * np.where(
            interactions > effects.HIGH_INTERACTION_THRESHOLD, effects.HIGH_INTERACTION_MULTIPLIER, 1.0
        )
        * np.where(latency >= effects.BAD_LATENCY_MS, effects.BAD_QUALITY_MULTIPLIER, 1.0)
        * np.where(first.delivery_days > effects.SLOW_DELIVERY_DAYS, effects.SLOW_DELIVERY_MULTIPLIER, 1.0)
    )
    return np.minimum(effects.REPEAT_CAP, effects.REPEAT_BASE * multiplier)


def plan_chain(
    config: GenerateConfig,
    markets: Markets,
    sessions: Sessions,
    people: People,
    audience: Audience,
    catalog: Catalog,
    first: FirstPurchases,
    probability: np.ndarray,
    rng: np.random.Generator,
) -> tuple[PlannedOrders, Attendances]:
    """Every chain order (first purchases included) and the live visits behind the repeat ones."""
    n = people.n_people
    buyers = np.flatnonzero(first.buyer)
    heavy = rng.random(n) < effects.HEAVY_BUYER_SHARE
    parts = [
        PlannedOrders(
            person=buyers,
            account=np.full(len(buyers), -1, dtype=np.int64),
            at=first.at[buyers],
            category=first.category[buyers],
            product=first.product[buyers],
            session=first.session[buyers],
            kind=np.full(len(buyers), CHAIN),
            number=np.ones(len(buyers), dtype=np.int64),
            delivery=_delivery_seconds(first.delivery_days[buyers], rng),
        )
    ]
    visits: list[Attendances] = []
    person = buyers[rng.random(len(buyers)) < probability[buyers]]
    last_at = first.at[person]
    number = 2
    while len(person):
        market = people.market[person]
        median = np.where(
            heavy[person] & (number > 2),
            effects.HEAVY_GAP_MEDIAN_DAYS,
            effects.GAP_MEDIAN_DAYS[first.category[person]],
        )
        gap = np.maximum(1, np.round(rng.lognormal(np.log(median), effects.GAP_SIGMA))).astype(np.int64)
        day = markets.offsets.local_day(market, last_at) + gap
        day_start = markets.offsets.day_start(market, day)
        day_end = markets.offsets.day_start(market, day + 1)
        at = order_time_on_day(markets, market, day, rng)
        session = np.full(len(person), -1, dtype=np.int64)
        live = audience.is_viewer[person] & (rng.random(len(person)) < effects.LIVE_REPEAT_PROBABILITY)
        # the latest broadcast for the market (else in the person's language) up to POST_LIVE_DAYS before
        earliest = np.maximum(day_start - effects.POST_LIVE_DAYS * SECONDS_PER_DAY, last_at)
        show = sessions.last_for_market(market, day_end - 1800)
        missing = (show < 0) | (sessions.start[np.maximum(show, 0)] < earliest)
        show = np.where(missing, sessions.last_for_language(people.language[person], day_end - 1800), show)
        show_start = sessions.start[np.maximum(show, 0)]
        show_end = sessions.end[np.maximum(show, 0)]
        usable = live & (show >= 0) & (show_start >= earliest)
        during = usable & (show_start >= day_start)
        room_end = np.minimum(show_end, day_end - 60)
        at = np.where(
            during,
            show_start
            + 60
            + (rng.random(len(person)) * np.maximum(room_end - show_start - 60, 0)).astype(np.int64),
            at,
        )
        post_start = np.maximum(show_end, day_start)
        post = usable & ~during & (post_start < day_end - 120)
        at = np.where(
            post, post_start + (rng.random(len(person)) * (day_end - 60 - post_start)).astype(np.int64), at
        )
        session = np.where(during | post, show, session)
        at = np.maximum(at, last_at + 60)
        keep = at < config.end_ts
        person, at, session = person[keep], at[keep], session[keep]
        category = np.where(
            rng.random(len(person)) < 0.5, first.category[person], draw_category(len(person), rng)
        )
        product = catalog.pick(category, rng)
        parts.append(
            PlannedOrders(
                person=person,
                account=np.full(len(person), -1, dtype=np.int64),
                at=at,
                category=category,
                product=product,
                session=session,
                kind=np.full(len(person), CHAIN),
                number=np.full(len(person), number),
                delivery=_delivery_seconds(_delivery_days(markets, people.market[person], rng), rng),
            )
        )
        bought_live = np.flatnonzero(session >= 0)
        visits.append(
            purchase_visits(
                markets,
                sessions,
                audience,
                person[bought_live],
                session[bought_live],
                at[bought_live],
                product[bought_live],
                rng,
            )
        )
        go_on = np.where(heavy[person], effects.HEAVY_CONTINUE_PROBABILITY, effects.CONTINUE_PROBABILITY)
        next_round = rng.random(len(person)) < go_on
        person, last_at = person[next_round], at[next_round]
        number += 1
    chain = PlannedOrders.concat(parts)
    chain.account = people.account_at(chain.person, chain.at, rng)
    empty = make_visits(sessions, markets, audience, *(np.zeros(0, dtype=np.int64),) * 3, np.zeros(0), rng)
    return chain, Attendances.concat(visits) if visits else empty


def plan_extras(
    config: GenerateConfig,
    markets: Markets,
    people: People,
    catalog: Catalog,
    chain: PlannedOrders,
    first_at: np.ndarray,
    rng: np.random.Generator,
) -> PlannedOrders:
    """Orders that add no purchase day: same-day second orders, cancelled and fully refunded orders.

    ``first_at``: per person, the time of the first qualifying order (NULL_INT: never buys).
    """
    buyer = first_at != NULL_INT
    twin = np.flatnonzero(rng.random(len(chain)) < effects.SAME_DAY_EXTRA_ORDER)
    market = people.market[chain.person[twin]]
    later = chain.at[twin] + rng.integers(300, 4 * 3600, len(twin))
    same_day = markets.offsets.local_day(market, later) == markets.offsets.local_day(market, chain.at[twin])
    twin, later = twin[same_day & (later < config.end_ts)], later[same_day & (later < config.end_ts)]
    twins = chain.subset(twin)
    twins.at = later
    twins.kind = np.full(len(twin), SAME_DAY)
    twins.number = np.zeros(len(twin), dtype=np.int64)
    twins.category = np.where(rng.random(len(twin)) < 0.5, twins.category, draw_category(len(twin), rng))
    twins.product = catalog.pick(twins.category, rng)
    twins.delivery = _delivery_seconds(_delivery_days(markets, people.market[twins.person], rng), rng)

    buyers = np.flatnonzero(buyer)
    others = np.flatnonzero(~buyer)
    n_cancelled = round(effects.CANCELLED_PER_ORDER * len(chain))
    n_refunded = round(effects.FULL_REFUND_PER_ORDER * len(chain))
    to_others = (rng.random(n_cancelled) < 0.15) & (len(others) > 0)
    if len(buyers) == 0:
        to_others[:] = True
    cancelled_person = np.where(
        to_others,
        others[rng.integers(0, max(len(others), 1), n_cancelled)] if len(others) else 0,
        buyers[rng.integers(0, max(len(buyers), 1), n_cancelled)] if len(buyers) else 0,
    )
    created = people.first_created
    earliest = np.where(
        to_others,
        np.maximum(created[cancelled_person], config.start_ts),
        np.maximum(
            first_at[cancelled_person] - 3 * SECONDS_PER_DAY,
            np.maximum(created[cancelled_person], config.start_ts),
        ),
    )
    cancelled_at = earliest + (
        rng.random(n_cancelled) * np.maximum(config.end_ts - 3600 - earliest, 0)
    ).astype(np.int64)
    refunded_person = (
        buyers[rng.integers(0, len(buyers), n_refunded)] if len(buyers) else np.zeros(0, dtype=np.int64)
    )
    start = first_at[refunded_person]
    refunded_at = start + (
        rng.random(len(refunded_person)) * np.maximum(config.end_ts - 2 * SECONDS_PER_DAY - start, 60)
    ).astype(np.int64)
    person = np.concatenate([cancelled_person, refunded_person]).astype(np.int64)
    at = np.minimum(np.concatenate([cancelled_at, refunded_at]), config.end_ts - 60)
    category = draw_category(len(person), rng)
    extras = PlannedOrders(
        person=person,
        account=people.account_at(person, at, rng),
        at=at,
        category=category,
        product=catalog.pick(category, rng),
        session=np.full(len(person), -1, dtype=np.int64),
        kind=np.concatenate(
            [np.full(n_cancelled, CANCELLED_EXTRA), np.full(len(refunded_person), REFUNDED_EXTRA)]
        ),
        number=np.zeros(len(person), dtype=np.int64),
        delivery=_delivery_seconds(_delivery_days(markets, people.market[person], rng), rng),
    )
    extras = extras.subset(np.flatnonzero(extras.account >= 0))
    return PlannedOrders.concat([twins, extras])


@dataclass
class OrderTables:
    orders: Frame
    items: Frame
    refunds: Frame
    account_bought: np.ndarray  # per account: has any order (gets a payment fingerprint)
    n_refunds: int


def order_tables(
    config: GenerateConfig,
    markets: Markets,
    catalog: Catalog,
    fx_table: FxTable,
    sessions: Sessions,
    people: People,
    planned: PlannedOrders,
    first_order: int,
    first_refund: int,
    rng: np.random.Generator,
) -> OrderTables:
    planned = planned.subset(np.argsort(planned.at, kind="stable"))
    n = len(planned)
    market = people.market[planned.person]
    live = planned.session >= 0
    channel = np.where(live, LIVE, rng.choice(len(SALES_CHANNELS), size=n, p=OTHER_CHANNEL_SHARE))
    usd = markets.currencies.index("USD")
    currency = markets.currency[market].copy()
    currency[(channel == MARKETPLACE) & (rng.random(n) < 0.4)] = usd  # cross-border checkout in USD
    day = planned.at // SECONDS_PER_DAY
    zero = (planned.kind == CHAIN) & (rng.random(n) < effects.ZERO_VALUE_SHARE)

    lines = np.where(zero, 1, 1 + rng.choice(4, size=n, p=[0.58, 0.27, 0.11, 0.04]))
    item_order = np.repeat(np.arange(n), lines)
    line_number = np.arange(len(item_order)) - np.repeat(np.cumsum(lines) - lines, lines) + 1
    first_line = line_number == 1
    same_category = rng.random(len(item_order)) < 0.75
    item_category = np.where(
        first_line | same_category, planned.category[item_order], draw_category(len(item_order), rng)
    )
    product = np.where(first_line, planned.product[item_order], catalog.pick(item_category, rng))
    quantity = np.where(
        zero[item_order], 1, rng.choice([1, 2, 3, 4], size=len(item_order), p=[0.78, 0.15, 0.05, 0.02])
    )
    discount = np.where(
        live[item_order],
        rng.choice([1.0, 0.9, 0.8, 0.7], size=len(item_order), p=[0.3, 0.3, 0.25, 0.15]),
        rng.choice([1.0, 0.9, 0.8], size=len(item_order), p=[0.6, 0.25, 0.15]),
    )
    unit_price = fx_table.local_price(
        catalog.list_price_usd[product] * discount, currency[item_order], day[item_order]
    )
    unit_price[zero[item_order]] = 0
    total = np.bincount(item_order, weights=quantity * unit_price, minlength=n).round().astype(np.int64)

    delivered_at = planned.at + planned.delivery
    cancelled = planned.kind == CANCELLED_EXTRA
    delivered = ~cancelled & (delivered_at < config.end_ts)
    status = np.select(
        [
            delivered & (delivered_at + 10 * SECONDS_PER_DAY <= config.end_ts),
            delivered,
            planned.at + 2 * SECONDS_PER_DAY <= config.end_ts,
            planned.at + 6 * 3600 <= config.end_ts,
        ],
        [COMPLETED, DELIVERED, SHIPPED, PAID],
        PLACED,
    )
    refunded = planned.kind == REFUNDED_EXTRA
    status = np.where(refunded & (rng.random(n) < 0.8), REFUNDED, status)
    status = np.where(cancelled, CANCELLED, status)
    status = np.where((status == COMPLETED) & (rng.random(n) < 0.03), -1, status)  # absent: means completed

    shipping = market.copy()
    odd = rng.random(n)
    shipping[odd < 0.03] = rng.integers(0, markets.count, (odd < 0.03).sum())
    shipping[odd > 0.985] = -1

    order_id = ids.order_ids(first_order + np.arange(n))
    refunds = _refunds(
        config,
        fx_table,
        planned,
        order_id,
        currency,
        total,
        delivered,
        delivered_at,
        market,
        first_refund,
        rng,
    )
    orders = {
        "order_id": Text.of(order_id),
        "customer_id": Text(people.customer_id, planned.account),
        "ordered_at": planned.at,
        "currency": Text.pick(markets.currencies, currency),
        "order_total": total,
        "status": Text.pick(STATUSES, status),
        "sales_channel": Text.pick(SALES_CHANNELS, np.where(~live & (rng.random(n) < 0.01), -1, channel)),
        "live_session_id": Text(sessions.session_id, planned.session),
        "shipping_country_code": Text.pick(markets.codes, shipping),
        "delivered_at": np.where(delivered, delivered_at, NULL_INT),
        "_market": market,
    }
    items = {
        "order_id": Text(order_id, item_order),
        "line_number": line_number.astype(np.int64),
        "product_id": Text(catalog.product_id, product),
        "quantity": quantity.astype(np.int64),
        "unit_price": unit_price,
    }
    account_bought = np.zeros(people.n_accounts, dtype=bool)
    account_bought[planned.account] = True
    return OrderTables(orders, items, refunds, account_bought, len(refunds["amount"]))


def _refunds(
    config: GenerateConfig,
    fx_table: FxTable,
    planned: PlannedOrders,
    order_id: pa.Array,
    currency: np.ndarray,
    total: np.ndarray,
    delivered: np.ndarray,
    delivered_at: np.ndarray,
    market: np.ndarray,
    first_refund: int,
    rng: np.random.Generator,
) -> Frame:
    """Full refunds of the refunded extras, partial refunds of delivered chain orders; some in two parts."""
    n = len(planned)
    full = (planned.kind == REFUNDED_EXTRA) & (total > 0)
    partial = (
        (planned.kind <= SAME_DAY) & delivered & (total > 0) & (rng.random(n) < effects.PARTIAL_REFUND_SHARE)
    )
    two_parts = rng.random(n) < effects.TWO_PART_REFUND_SHARE

    amount = np.where(full, total, fx_table.round_amount(total * rng.uniform(0.15, 0.6, n), currency))
    partial &= amount < total
    first_part = np.where(
        full & two_parts, fx_table.round_amount(total * rng.uniform(0.3, 0.7, n), currency), amount
    )
    second_part = np.where(
        full, total - first_part, fx_table.round_amount(total * rng.uniform(0.05, 0.2, n), currency)
    )
    split = two_parts & np.where(full, (first_part > 0) & (second_part > 0), amount + second_part < total)

    base = np.where(delivered, delivered_at, planned.at + SECONDS_PER_DAY)
    first_at = base + (rng.uniform(1, 15, n) * SECONDS_PER_DAY).astype(np.int64)
    second_at = first_at + (rng.uniform(1, 10, n) * SECONDS_PER_DAY).astype(np.int64)
    latest = config.end_ts - 60
    first_at = np.where(first_at < latest, first_at, planned.at + (latest - planned.at) // 2)
    second_at = np.minimum(second_at, latest)
    split &= second_at > first_at

    refunded = np.flatnonzero(full | partial)
    second = np.flatnonzero((full | partial) & split)
    order = np.concatenate([refunded, second])
    value = np.concatenate(
        [np.where(split[refunded], first_part[refunded], amount[refunded]), second_part[second]]
    )
    at = np.concatenate([first_at[refunded], second_at[second]])
    sequence = np.lexsort((order, at))
    order, value, at = order[sequence], value[sequence], at[sequence]
    return {
        "refund_id": Text.of(ids.refund_ids(first_refund + np.arange(len(order)))),
        "order_id": Text(order_id, order),
        "refunded_at": at,
        "amount": value,
        "_market": market[order],
    }
