"""The orders-heavy shop (profile ``orders``): customers, orders, refunds and the shop's own FX rates.

A shop whose data is order history only, sized for the repurchase benchmark (by default 1,000,000
accounts and about 5,000,000 orders): markets paying in USD, EUR or GBP (a share of marketplace
orders in Europe check out in USD), daily FX rates written as the shop's own ``fx_rates`` file,
refunds (full and partial, some in two parts), cancelled and refunded orders, same-day second
orders and free promotional orders, as in the live shop. Each person has exactly one account and
no junk identifiers are planted, so no two accounts share an email or a phone: a person is an
account. There is no live data (no sessions, events or stream quality).

Buyers come back far more often than in the live shop: after the first purchase, a buyer comes
back with probability ``min(REPEAT_CAP, REPEAT_BASE x channel x first category)`` (the live shop's
multipliers) and keeps buying with ``CONTINUE_PROBABILITY`` after each purchase (heavy buyers with
``HEAVY_CONTINUE_PROBABILITY`` and short gaps), so a buyer places about six orders in the period
(about five per account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from livewh.generate import effects, orders, people
from livewh.generate.catalog import Catalog, draw_category
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig, stream
from livewh.generate.markets import Markets
from livewh.generate.orders import CHAIN, PlannedOrders, order_time_on_day
from livewh.generate.tables import NULL_INT, Frame

if TYPE_CHECKING:
    from livewh.generate.pipeline import World

BUYER_PROBABILITY = 0.85
SAME_DAY_FIRST_PURCHASE = 0.35  # first purchase on the day the account was created
FIRST_PURCHASE_MEAN_DAYS = 20.0  # otherwise an exponential wait
REPEAT_BASE = 0.72
REPEAT_CAP = 0.95
CONTINUE_PROBABILITY = 0.895
HEAVY_BUYER_SHARE = 0.12
HEAVY_CONTINUE_PROBABILITY = 0.95
HEAVY_GAP_MEDIAN_DAYS = 9
GAP_SCALE = 0.55  # times the live shop's median gap by first category
GAP_SIGMA = 0.8


def _no_signup_session(
    market: np.ndarray, when: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The shop has no broadcasts: nobody signs up inside one."""
    return np.full(len(market), -1, dtype=np.int64), when


def plan_orders(
    config: GenerateConfig,
    markets: Markets,
    crowd: people.People,
    catalog: Catalog,
    rng: np.random.Generator,
) -> tuple[PlannedOrders, np.ndarray]:
    """Every chain order of the chunk (first purchases included) and each person's first order time."""
    n = crowd.n_people
    market = crowd.market
    base = np.maximum(crowd.first_created, config.start_ts)
    wants = rng.random(n) < BUYER_PROBABILITY
    wait = np.where(
        rng.random(n) < SAME_DAY_FIRST_PURCHASE,
        0,
        np.ceil(rng.exponential(FIRST_PURCHASE_MEAN_DAYS, n)).astype(np.int64),
    )
    at = np.where(
        wait == 0,
        base + rng.integers(120, 3 * 3600, n),
        order_time_on_day(markets, market, markets.offsets.local_day(market, base) + wait, rng),
    )
    buys = wants & (at < config.end_ts)
    first_at = np.where(buys, at, NULL_INT)
    category = draw_category(n, rng)
    product = catalog.pick(category, rng)
    heavy = rng.random(n) < HEAVY_BUYER_SHARE
    probability = np.minimum(
        REPEAT_CAP,
        REPEAT_BASE
        * effects.REPEAT_CHANNEL_MULTIPLIER[crowd.channel]
        * effects.REPEAT_CATEGORY_MULTIPLIER[category],
    )

    buyers = np.flatnonzero(buys)
    parts = [_planned(markets, crowd, buyers, first_at[buyers], category[buyers], product[buyers], 1, rng)]
    person = buyers[rng.random(len(buyers)) < probability[buyers]]
    last_at = first_at[person]
    number = 2
    while len(person):
        median = np.where(
            heavy[person], HEAVY_GAP_MEDIAN_DAYS, effects.GAP_MEDIAN_DAYS[category[person]] * GAP_SCALE
        )
        gap = np.maximum(1, np.round(rng.lognormal(np.log(median), GAP_SIGMA))).astype(np.int64)
        day = markets.offsets.local_day(market[person], last_at) + gap
        at = np.maximum(order_time_on_day(markets, market[person], day, rng), last_at + 60)
        keep = at < config.end_ts
        person, at = person[keep], at[keep]
        bought = np.where(rng.random(len(person)) < 0.5, category[person], draw_category(len(person), rng))
        parts.append(_planned(markets, crowd, person, at, bought, catalog.pick(bought, rng), number, rng))
        go_on = np.where(heavy[person], HEAVY_CONTINUE_PROBABILITY, CONTINUE_PROBABILITY)
        next_round = rng.random(len(person)) < go_on
        person, last_at = person[next_round], at[next_round]
        number += 1
    return PlannedOrders.concat(parts), first_at


def _planned(
    markets: Markets,
    crowd: people.People,
    person: np.ndarray,
    at: np.ndarray,
    category: np.ndarray,
    product: np.ndarray,
    number: int,
    rng: np.random.Generator,
) -> PlannedOrders:
    n = len(person)
    delivery_days = rng.integers(
        markets.delivery_days_min[crowd.market[person]], markets.delivery_days_max[crowd.market[person]] + 1
    )
    return PlannedOrders(
        person=person,
        account=crowd.accounts[person, 0],  # one account per person
        at=at,
        category=category,
        product=product,
        session=np.full(n, -1, dtype=np.int64),
        kind=np.full(n, CHAIN),
        number=np.full(n, number, dtype=np.int64),
        delivery=delivery_days * SECONDS_PER_DAY + rng.integers(-6 * 3600, 6 * 3600, n),
    )


def simulate_chunk(
    config: GenerateConfig,
    world: World,
    chunk: int,
    person_offset: int,
    account_offset: int,
    n_accounts: int,
    first_order: int,
    first_refund: int,
) -> tuple[dict[str, Frame], Frame, int]:
    """customers, orders and refunds of one chunk of accounts; returns (frames, truth, people)."""
    seed, markets, catalog = config.seed, world.markets, world.catalog
    crowd = people.make_people(
        config,
        markets,
        _no_signup_session,
        chunk,
        person_offset,
        account_offset,
        n_accounts,
        stream(seed, "orders-shop:people", chunk),
        single_accounts=True,
    )
    chain, first_at = plan_orders(config, markets, crowd, catalog, stream(seed, "orders-shop:chain", chunk))
    extras = orders.plan_extras(
        config, markets, crowd, catalog, chain, first_at, stream(seed, "orders-shop:extras", chunk)
    )
    tables = orders.order_tables(
        config,
        markets,
        catalog,
        world.fx_table,
        world.sessions,
        crowd,
        PlannedOrders.concat([chain, extras]),
        first_order,
        first_refund,
        stream(seed, "orders-shop:orders", chunk),
    )
    frames: dict[str, Frame] = {
        "customers": people.customers_frame(
            crowd, markets, world.tags, world.spellings, stream(seed, "orders-shop:customers", chunk)
        ),
        "orders": tables.orders,
        "refunds": tables.refunds,
    }
    return frames, people.truth_frame(crowd), crowd.n_people
