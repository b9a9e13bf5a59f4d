"""Live selling: hosts and their broadcasts, who watched what, what viewers did, stream quality.

Hosts target a home market (and markets speaking their language) and go live in the target
market's evening. A viewer's experienced latency is the session's quality factor (platform, a
random "bad night") times the viewer market's distance latency times the viewer's own network, so
far markets (Latin America) see worse latency than South-East Asia, close to the studio. Latency
shortens watching and stops live purchase attempts (see effects.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from livewh.enumerations import enum_values
from livewh.generate import effects, ids
from livewh.generate.catalog import Catalog, draw_category
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig
from livewh.generate.markets import LanguageTags, Markets
from livewh.generate.money import FxTable
from livewh.generate.people import People
from livewh.generate.tables import NULL_INT, Frame, Text

#: the platforms broadcasts run on (every listed platform but the catch-all 'other')
PLATFORMS = tuple(platform for platform in enum_values("platform") if platform != "other")
_LATENCY_BY_PLATFORM = {"own_app": 1.12, "tiktok": 0.92, "youtube": 1.0, "facebook": 1.02, "instagram": 0.97}
PLATFORM_LATENCY = np.array([_LATENCY_BY_PLATFORM[platform] for platform in PLATFORMS])
OWN_APP = PLATFORMS.index("own_app")
#: Local start hour of broadcasts: evenings, peak 20-21, a few lunchtime shows.
START_HOUR_SHARE = np.zeros(24)
START_HOUR_SHARE[[12, 13, 17, 18, 19, 20, 21, 22, 23]] = [
    0.02,
    0.02,
    0.02,
    0.09,
    0.15,
    0.26,
    0.24,
    0.14,
    0.06,
]
EVENT_TYPES = enum_values("live_event_type")
JOIN, LEAVE, GIFT, PRODUCT_CLICK, ADD_TO_CART = (
    EVENT_TYPES.index(event_type) for event_type in ("join", "leave", "gift", "product_click", "add_to_cart")
)
INTERACTION_SHARE = np.array([0.24, 0.40, 0.06, 0.03, 0.04, 0.15, 0.08])  # comment ... add_to_cart
GIFT_USD = np.array([0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0])
GIFT_SHARE = np.array([0.30, 0.25, 0.18, 0.14, 0.07, 0.04, 0.02])
SESSION_SAMPLE_SECONDS = 300
VIEWER_SAMPLE_SECONDS = 180


@dataclass(frozen=True)
class Hosts:
    home_market: np.ndarray
    language: np.ndarray
    category: np.ndarray
    platform_share: np.ndarray  # host x platform
    targets: tuple[np.ndarray, ...]  # markets each host broadcasts to, home first
    rate: np.ndarray  # broadcasts per active day
    first_day: np.ndarray
    last_day: np.ndarray  # exclusive


def make_hosts(config: GenerateConfig, markets: Markets, rng: np.random.Generator) -> Hosts:
    """Hosts live in markets roughly as shoppers do; each also targets up to three markets sharing
    their language, and every market is targeted by at least one host."""
    n = config.hosts
    home = rng.choice(markets.count, size=n, p=markets.weight)
    language = np.empty(n, dtype=np.int64)
    for host in range(n):
        choices, shares = markets.language_choices[home[host]]
        language[host] = choices[rng.choice(len(choices), p=shares)]
    speakers = [
        [
            m
            for m in range(markets.count)
            if language[host] in markets.language_choices[m][0] and m != home[host]
        ]
        for host in range(n)
    ]
    targets = [
        [int(home[host]), *(int(m) for m in rng.permutation(speakers[host])[: rng.integers(1, 4)])]
        for host in range(n)
    ]
    for market in range(markets.count):
        if not any(market in host_targets for host_targets in targets):
            sharing = [h for h in range(n) if set(markets.language_choices[market][0]) & {int(language[h])}]
            targets[int(rng.choice(sharing)) if sharing else int(rng.integers(0, n))].append(market)
    share = rng.dirichlet([1.3, 1.6, 0.7, 0.6, 0.9], size=n)
    days = config.days
    first = np.full(n, config.first_day)
    last = np.full(n, config.end_day)
    late, early = rng.random(n) < 0.2, rng.random(n) < 0.1
    first[late] += (rng.uniform(0.1, 0.6, late.sum()) * days).astype(np.int64)
    last[early] -= (rng.uniform(0.1, 0.4, early.sum()) * days).astype(np.int64)
    return Hosts(
        home_market=home,
        language=language,
        category=draw_category(n, rng),
        platform_share=share,
        targets=tuple(np.array(t, dtype=np.int64) for t in targets),
        rate=effects.SESSIONS_PER_HOST_DAY * rng.lognormal(-0.18, 0.6, n),
        first_day=first,
        last_day=np.maximum(last, first + 1),
    )


@dataclass
class Sessions:
    """All broadcasts of the period, ordered by start, plus lookups by target market and language."""

    session_id: pa.Array
    host: np.ndarray
    market: np.ndarray
    language: np.ndarray
    tag: np.ndarray
    platform: np.ndarray
    category: np.ndarray
    start: np.ndarray
    end: np.ndarray
    scheduled: np.ndarray
    quality: np.ndarray  # latency factor of the broadcast
    by_market: tuple[np.ndarray, ...]
    by_language: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.start)

    def next_in_pool(self, pool: np.ndarray, after: np.ndarray) -> np.ndarray:
        """The first session of a (non-empty) pool starting at or after each time (-1 if none)."""
        position = np.searchsorted(self.start[pool], after)
        return np.where(position < len(pool), pool[np.minimum(position, len(pool) - 1)], -1)

    def last_in_pool(self, pool: np.ndarray, before: np.ndarray) -> np.ndarray:
        """The last session of a (non-empty) pool starting at or before each time (-1 if none)."""
        position = np.searchsorted(self.start[pool], before, side="right") - 1
        return np.where(position >= 0, pool[np.maximum(position, 0)], -1)

    def next_for_market(self, market: np.ndarray, after: np.ndarray) -> np.ndarray:
        result = np.full(len(market), -1, dtype=np.int64)
        for index, pool in enumerate(self.by_market):
            rows = np.flatnonzero(market == index)
            if len(rows) and len(pool):
                result[rows] = self.next_in_pool(pool, after[rows])
        return result

    def last_for_market(self, market: np.ndarray, before: np.ndarray) -> np.ndarray:
        result = np.full(len(market), -1, dtype=np.int64)
        for index, pool in enumerate(self.by_market):
            rows = np.flatnonzero(market == index)
            if len(rows) and len(pool):
                result[rows] = self.last_in_pool(pool, before[rows])
        return result

    def last_for_language(self, language: np.ndarray, before: np.ndarray) -> np.ndarray:
        result = np.full(len(language), -1, dtype=np.int64)
        for index, pool in enumerate(self.by_language):
            rows = np.flatnonzero(language == index)
            if len(rows) and len(pool):
                result[rows] = self.last_in_pool(pool, before[rows])
        return result

    def next_for_language(self, language: np.ndarray, after: np.ndarray) -> np.ndarray:
        result = np.full(len(language), -1, dtype=np.int64)
        for index, pool in enumerate(self.by_language):
            rows = np.flatnonzero(language == index)
            if len(rows) and len(pool):
                result[rows] = self.next_in_pool(pool, after[rows])
        return result

    def signup_finder(self):
        """For live_stream sign-ups: the next session of their market, created 3-40 minutes into it."""

        def find(
            market: np.ndarray, around: np.ndarray, rng: np.random.Generator
        ) -> tuple[np.ndarray, np.ndarray]:
            session = self.next_for_market(market, around)
            found = session >= 0
            safe = np.maximum(session, 0)
            length = self.end[safe] - self.start[safe]
            offset = (rng.uniform(3, 40, len(market)) * 60).astype(np.int64)
            created = self.start[safe] + np.minimum(offset, length - 60)
            return np.where(found, session, -1), np.where(found, created, around)

        return find

    def frame(self, markets: Markets, tags: LanguageTags) -> Frame:
        return {
            "session_id": Text.of(self.session_id),
            "host_id": Text.of(ids.host_ids(self.host)),
            "started_at": self.start,
            "ended_at": self.end,
            "market_country_code": Text.pick(markets.codes, self.market),
            "language": Text(tags.values, self.tag),
            "platform": Text.pick(PLATFORMS, self.platform),
            "scheduled_start_at": self.scheduled,
            "_market": self.market,
        }


def make_sessions(
    config: GenerateConfig, markets: Markets, hosts: Hosts, tags: LanguageTags, rng: np.random.Generator
) -> Sessions:
    n_hosts = len(hosts.rate)
    days = np.arange(config.first_day, config.end_day)
    active = (days[None, :] >= hosts.first_day[:, None]) & (days[None, :] < hosts.last_day[:, None])
    live = active & (rng.random((n_hosts, len(days))) < hosts.rate[:, None])
    host, day_index = np.nonzero(live)
    n = len(host)
    market = hosts.home_market[host].copy()
    abroad = rng.random(n) < 0.4
    for h in range(n_hosts):
        rows = np.flatnonzero(abroad & (host == h))
        market[rows] = hosts.targets[h][rng.integers(0, len(hosts.targets[h]), len(rows))]
    hour = rng.choice(24, size=n, p=START_HOUR_SHARE)
    minute = np.where(rng.random(n) < 0.8, rng.choice([0, 15, 30, 45], n), rng.integers(0, 60, n))
    local = days[day_index] * SECONDS_PER_DAY + hour * 3600 + minute * 60
    scheduled = markets.offsets.to_utc(market, local)
    kind = rng.random(n)
    delay = np.select(
        [kind < 0.85, kind < 0.95, kind < 0.99],
        [np.zeros(n), rng.uniform(60, 480, n), rng.uniform(600, 2700, n)],
        -rng.uniform(300, 900, n),
    ).astype(np.int64)
    start = scheduled + delay
    end = start + (rng.triangular(45, 90, 180, n) * 60).astype(np.int64)
    cumulative = np.cumsum(hosts.platform_share, axis=1)[host]
    platform = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), len(PLATFORMS) - 1)
    category = np.where(rng.random(n) < 0.75, hosts.category[host], draw_category(n, rng))
    quality = (
        PLATFORM_LATENCY[platform] * rng.lognormal(0.0, 0.18, n) * np.where(rng.random(n) < 0.1, 2.1, 1.0)
    )
    known = rng.random(n) < 0.75
    keep = (start >= config.start_ts) & (end < config.end_ts)
    order = np.flatnonzero(keep)[np.argsort(start[keep], kind="stable")]
    language = hosts.language[host]
    tag = tags.draw(market[order], language[order], rng)
    by_market = tuple(np.flatnonzero(market[order] == m) for m in range(markets.count))
    by_language = tuple(np.flatnonzero(language[order] == lang) for lang in range(len(markets.languages)))
    return Sessions(
        session_id=ids.session_ids(np.arange(1, len(order) + 1)),
        host=host[order],
        market=market[order],
        language=language[order],
        tag=tag,
        platform=platform[order],
        category=category[order],
        start=start[order],
        end=end[order],
        scheduled=np.where(known, scheduled, NULL_INT)[order],
        quality=quality[order],
        by_market=by_market,
        by_language=by_language,
    )


def session_quality_frame(sessions: Sessions, markets: Markets, rng: np.random.Generator) -> Frame:
    """One sample every 5 minutes per broadcast, measured for the target market (no viewer)."""
    count = (sessions.end - sessions.start) // SESSION_SAMPLE_SECONDS
    session = np.repeat(np.arange(len(sessions)), count)
    step = np.arange(len(session)) - np.repeat(np.cumsum(count) - count, count)
    latency = (
        sessions.quality[session]
        * markets.latency_ms[sessions.market[session]]
        * rng.lognormal(0, 0.12, len(session))
    )
    interval = np.full(len(session), SESSION_SAMPLE_SECONDS * 1000, dtype=np.int64)
    return {
        "session_id": Text(sessions.session_id, session),
        "sampled_at": sessions.start[session] + (step + 1) * SESSION_SAMPLE_SECONDS,
        "viewer_id": Text.constant(None, len(session)),
        "country_code": Text.pick(markets.codes, sessions.market[session]),
        "latency_ms": np.round(latency).astype(np.int64),
        "freeze_ms": np.round(interval * effects.freeze_ratio(latency, rng)).astype(np.int64),
        "interval_ms": interval,
        "_market": sessions.market[session],
    }


@dataclass
class Audience:
    """The devices of one chunk: people's phones and tablets, family devices, anonymous viewers."""

    viewer_id: pa.Array
    market: np.ndarray  # per device
    network: np.ndarray  # per device latency factor
    is_viewer: np.ndarray  # per person
    engagement: np.ndarray  # per person
    device: np.ndarray  # per person: main device, -1 if not watching
    second_device: np.ndarray
    family_device: np.ndarray
    window_start: np.ndarray  # per person: watching period
    window_end: np.ndarray
    anonymous: np.ndarray  # device indices of viewers who never log in
    anonymous_engagement: np.ndarray


def make_audience(
    config: GenerateConfig, markets: Markets, people: People, account_offset: int, rng: np.random.Generator
) -> Audience:
    n = people.n_people
    is_viewer = rng.random(n) < effects.VIEWER_PROBABILITY[people.channel]
    viewers = np.flatnonzero(is_viewer)
    has_second = rng.random(len(viewers)) < 0.15
    # family devices: small groups (2-4 people) of one market sharing a tablet
    in_family = viewers[rng.random(len(viewers)) < 0.04]
    in_family = in_family[np.argsort(people.market[in_family], kind="stable")]
    family_of = np.full(n, -1, dtype=np.int64)
    family_number: list[int] = []
    position = 0
    while position + 1 < len(in_family):
        size = int(rng.integers(2, 5))
        group = in_family[position : position + size]
        group = group[people.market[group] == people.market[group[0]]]
        if len(group) >= 2:
            family_of[group] = len(family_number)
            family_number.append(int(people.person_global[group[0]]) * 4 + 2)
        position += max(len(group), 1)

    device_number = [people.person_global[viewers] * 4, people.person_global[viewers[has_second]] * 4 + 1]
    device_market = [people.market[viewers], people.market[viewers[has_second]]]
    family_market = [people.market[np.flatnonzero(family_of == f)[0]] for f in range(len(family_number))]
    device_number.append(np.array(family_number, dtype=np.int64))
    device_market.append(np.array(family_market, dtype=np.int64))
    n_anonymous = round(effects.ANONYMOUS_VIEWERS_PER_ACCOUNT * people.n_accounts)
    anonymous_market = rng.choice(markets.count, size=n_anonymous, p=markets.weight)
    viewer_id = pa.concat_arrays(
        [
            ids.device_ids(np.concatenate(device_number)),
            ids.anonymous_viewer_ids(account_offset + np.arange(n_anonymous)),
        ]
    )
    market = np.concatenate(device_market + [anonymous_market])
    n_people_devices = len(viewers) + has_second.sum() + len(family_number)

    device = np.full(n, -1, dtype=np.int64)
    device[viewers] = np.arange(len(viewers))
    second = np.full(n, -1, dtype=np.int64)
    second[viewers[has_second]] = len(viewers) + np.arange(has_second.sum())
    family = np.where(family_of >= 0, len(viewers) + has_second.sum() + family_of, -1)

    created = people.first_created
    early = (people.channel == effects.CHANNEL_INDEX["live_stream"]) | (rng.random(n) < 0.3)
    start = np.where(early, created - (rng.random(n) * 30 * SECONDS_PER_DAY).astype(np.int64), created)
    start = np.maximum(start, config.start_ts)
    end = np.minimum(
        config.end_ts,
        start + (rng.exponential(effects.VIEWER_LIFETIME_DAYS, n) * SECONDS_PER_DAY).astype(np.int64),
    )
    return Audience(
        viewer_id=viewer_id,
        market=market,
        network=rng.lognormal(0.0, 0.25, len(market)),
        is_viewer=is_viewer,
        engagement=rng.lognormal(np.log(0.5), 1.0, n),
        device=device,
        second_device=second,
        family_device=family,
        window_start=start,
        window_end=end,
        anonymous=n_people_devices + np.arange(n_anonymous),
        anonymous_engagement=rng.lognormal(np.log(0.25), 1.0, n_anonymous),
    )


@dataclass
class Attendances:
    """One row per (viewer, session) visit. Purchase visits carry the order time and product."""

    device: np.ndarray
    person: np.ndarray  # -1 for anonymous viewers
    session: np.ndarray
    join: np.ndarray
    watch: np.ndarray  # seconds until leaving
    engagement: np.ndarray
    latency: np.ndarray  # experienced latency (ms)
    order_time: np.ndarray  # NULL_INT unless the visit led to an order
    product: np.ndarray  # -1 unless the visit led to an order

    def __len__(self) -> int:
        return len(self.session)

    @staticmethod
    def concat(parts: list[Attendances]) -> Attendances:
        return Attendances(
            *(
                np.concatenate([getattr(part, name) for part in parts])
                for name in Attendances.__dataclass_fields__
            )
        )

    def subset(self, rows: np.ndarray) -> Attendances:
        return Attendances(*(getattr(self, name)[rows] for name in Attendances.__dataclass_fields__))


def experienced_latency(
    sessions: Sessions, markets: Markets, audience: Audience, session: np.ndarray, device: np.ndarray
) -> np.ndarray:
    return sessions.quality[session] * markets.latency_ms[audience.market[device]] * audience.network[device]


def make_visits(
    sessions: Sessions,
    markets: Markets,
    audience: Audience,
    device: np.ndarray,
    person: np.ndarray,
    session: np.ndarray,
    engagement: np.ndarray,
    rng: np.random.Generator,
    join: np.ndarray | None = None,
    until: np.ndarray | None = None,
    order_time: np.ndarray | None = None,
    product: np.ndarray | None = None,
) -> Attendances:
    """Visits with join times and watch lengths; ``join``/``until`` pin them around a known moment."""
    n = len(session)
    start, end = sessions.start[session], sessions.end[session]
    length = end - start
    latency = experienced_latency(sessions, markets, audience, session, device)
    if join is None:
        join = start + np.minimum(rng.exponential(0.25, n) * length, length - 60).astype(np.int64)
    mean = effects.WATCH_MEAN_MINUTES * 60 * engagement**0.3 * effects.watch_factor(latency)
    leave = join + 30 + rng.exponential(mean).astype(np.int64)
    if until is not None:
        leave = np.maximum(leave, until)
    leave = np.minimum(leave, end)
    return Attendances(
        device=device,
        person=person,
        session=session,
        join=join,
        watch=np.maximum(leave - join, 1),
        engagement=engagement,
        latency=latency,
        order_time=np.full(n, NULL_INT, dtype=np.int64) if order_time is None else order_time,
        product=np.full(n, -1, dtype=np.int64) if product is None else product,
    )


def person_device(audience: Audience, person: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The device a person watches on: the main one, sometimes a tablet or the family device."""
    device = audience.device[person].copy()
    second = audience.second_device[person]
    family = audience.family_device[person]
    device = np.where((second >= 0) & (rng.random(len(person)) < 0.3), second, device)
    return np.where((family >= 0) & (rng.random(len(person)) < 0.4), family, device)


def background_visits(
    config: GenerateConfig,
    markets: Markets,
    sessions: Sessions,
    people: People,
    audience: Audience,
    rng: np.random.Generator,
) -> Attendances:
    """Visits that did not (directly) lead to an order, by people and by anonymous viewers."""
    viewers = np.flatnonzero(audience.is_viewer)
    span = np.maximum(audience.window_end[viewers] - audience.window_start[viewers], 0)
    monthly = effects.VIEWER_MONTHLY_SESSIONS * rng.lognormal(0.0, 0.9, len(viewers))
    count = np.minimum(rng.poisson(monthly * span / (30 * SECONDS_PER_DAY)), 150)
    person = np.repeat(viewers, count)
    moment = audience.window_start[person] + (rng.random(len(person)) * np.repeat(span, count)).astype(
        np.int64
    )
    own_market = rng.random(len(person)) < 0.85
    session = np.where(
        own_market,
        sessions.next_for_market(people.market[person], moment),
        sessions.next_for_language(people.language[person], moment),
    )
    keep = (session >= 0) & (
        sessions.start[np.maximum(session, 0)] < audience.window_end[person] + 7 * SECONDS_PER_DAY
    )
    person, session = person[keep], session[keep]
    _, first = np.unique(person * len(sessions) + session, return_index=True)
    person, session = person[first], session[first]
    people_visits = make_visits(
        sessions,
        markets,
        audience,
        person_device(audience, person, rng),
        person,
        session,
        audience.engagement[person],
        rng,
    )

    n_anonymous = len(audience.anonymous)
    begin = config.start_ts + (rng.random(n_anonymous) * (config.end_ts - config.start_ts)).astype(np.int64)
    span = (rng.exponential(90, n_anonymous) * SECONDS_PER_DAY).astype(np.int64)
    count = 1 + rng.poisson(1.2, n_anonymous)
    viewer = np.repeat(np.arange(n_anonymous), count)
    moment = begin[viewer] + (rng.random(len(viewer)) * span[viewer]).astype(np.int64)
    session = sessions.next_for_market(audience.market[audience.anonymous[viewer]], moment)
    keep = session >= 0
    viewer, session = viewer[keep], session[keep]
    _, first = np.unique(viewer * len(sessions) + session, return_index=True)
    viewer, session = viewer[first], session[first]
    anonymous_visits = make_visits(
        sessions,
        markets,
        audience,
        audience.anonymous[viewer],
        np.full(len(viewer), -1, dtype=np.int64),
        session,
        audience.anonymous_engagement[viewer],
        rng,
    )
    return Attendances.concat([people_visits, anonymous_visits])


def signup_visits(
    markets: Markets, sessions: Sessions, people: People, audience: Audience, rng: np.random.Generator
) -> Attendances:
    """live_stream people watched the session they signed up in: anonymous first, logged in after."""
    person = np.flatnonzero((people.signup_session >= 0) & (audience.device >= 0))
    session = people.signup_session[person]
    created = people.first_created[person]
    join = np.maximum(
        sessions.start[session], created - (rng.uniform(2, 20, len(person)) * 60).astype(np.int64)
    )
    until = created + (rng.uniform(5, 40, len(person)) * 60).astype(np.int64)
    return make_visits(
        sessions,
        markets,
        audience,
        audience.device[person],
        person,
        session,
        audience.engagement[person],
        rng,
        join=join,
        until=until,
    )


def purchase_visits(
    markets: Markets,
    sessions: Sessions,
    audience: Audience,
    person: np.ndarray,
    session: np.ndarray,
    order_time: np.ndarray,
    product: np.ndarray,
    rng: np.random.Generator,
) -> Attendances:
    """The visit behind each live order: during the show the buyer joined shortly before ordering."""
    device = audience.device[person]
    during = order_time < sessions.end[session]
    join = np.where(
        during,
        np.maximum(
            sessions.start[session], order_time - (rng.uniform(2, 30, len(person)) * 60).astype(np.int64)
        ),
        sessions.start[session]
        + (rng.random(len(person)) * 0.5 * (sessions.end[session] - sessions.start[session])).astype(
            np.int64
        ),
    )
    until = np.where(during, order_time + (rng.uniform(1, 20, len(person)) * 60).astype(np.int64), join + 600)
    return make_visits(
        sessions,
        markets,
        audience,
        device,
        person,
        session,
        audience.engagement[person],
        rng,
        join=join,
        until=until,
        order_time=order_time,
        product=product,
    )


@dataclass
class Events:
    """live_events before they become rows (one entry per event)."""

    visit: np.ndarray
    kind: np.ndarray
    at: np.ndarray
    product: np.ndarray
    amount: np.ndarray  # hundredths, NULL_INT unless a gift
    currency: np.ndarray  # -1 unless a gift
    account: np.ndarray  # logged-in account, -1 = anonymous

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        return Events(
            *(np.concatenate([getattr(part, name) for part in parts]) for name in Events.__dataclass_fields__)
        )


def make_events(
    visits: Attendances,
    sessions: Sessions,
    markets: Markets,
    audience: Audience,
    people: People,
    catalog: Catalog,
    fx_table: FxTable,
    rng: np.random.Generator,
    visit_offset: int = 0,
) -> Events:
    """Joins, leaves (some never leave, some leave and rejoin) and interactions of each visit."""
    n = len(visits)
    end = sessions.end[visits.session]
    leave_at = visits.join + visits.watch
    stays = rng.random(n) < effects.NEVER_LEAVE_SHARE
    rejoin = ~stays & (rng.random(n) < effects.REJOIN_SHARE) & (leave_at + 660 < end)
    back_at = leave_at + rng.integers(30, 600, n)
    back_leave = np.minimum(end, back_at + 30 + rng.exponential(8 * 60, n).astype(np.int64))
    back_stays = rng.random(n) < 0.1

    purchase = visits.order_time != NULL_INT
    rate = visits.engagement * (visits.watch / 60) * effects.INTERACTIONS_PER_MINUTE
    count = np.minimum(rng.poisson(rate), 300)
    interaction_visit = np.repeat(np.arange(n), count)
    interaction_at = visits.join[interaction_visit] + (
        rng.random(len(interaction_visit)) * visits.watch[interaction_visit]
    ).astype(np.int64)
    interaction_kind = 2 + rng.choice(
        len(INTERACTION_SHARE), size=len(interaction_visit), p=INTERACTION_SHARE
    )

    # a buyer clicked and carted the product before ordering (or, for post-live orders, while watching)
    buyer = np.flatnonzero(purchase)
    before = np.minimum(visits.order_time[buyer], visits.join[buyer] + visits.watch[buyer]) - 1
    click_at = visits.join[buyer] + (
        rng.random(len(buyer)) * 0.5 * np.maximum(before - visits.join[buyer], 1)
    ).astype(np.int64)
    cart_at = click_at + (rng.random(len(buyer)) * np.maximum(before - click_at, 1)).astype(np.int64)

    visit = np.concatenate(
        [
            np.arange(n),
            np.flatnonzero(~stays),
            np.flatnonzero(rejoin),
            np.flatnonzero(rejoin & ~back_stays),
            interaction_visit,
            buyer,
            buyer,
        ]
    )
    kind = np.concatenate(
        [
            np.full(n, JOIN),
            np.full((~stays).sum(), LEAVE),
            np.full(rejoin.sum(), JOIN),
            np.full((rejoin & ~back_stays).sum(), LEAVE),
            interaction_kind,
            np.full(len(buyer), PRODUCT_CLICK),
            np.full(len(buyer), ADD_TO_CART),
        ]
    )
    at = np.concatenate(
        [
            visits.join,
            leave_at[~stays],
            back_at[rejoin],
            back_leave[rejoin & ~back_stays],
            interaction_at,
            click_at,
            cart_at,
        ]
    )
    shopping = (kind == PRODUCT_CLICK) | (kind == ADD_TO_CART)
    product = np.full(len(visit), -1, dtype=np.int64)
    product[shopping] = catalog.pick(sessions.category[visits.session[visit[shopping]]], rng)
    forced = len(visit) - 2 * len(buyer)
    product[forced:] = np.concatenate([visits.product[buyer], visits.product[buyer]])

    gift = kind == GIFT
    gift_market = audience.market[visits.device[visit[gift]]]
    on_own_app = sessions.platform[visits.session[visit[gift]]] == OWN_APP
    usd = markets.currencies.index("USD")
    currency = np.full(len(visit), -1, dtype=np.int64)
    currency[gift] = np.where(on_own_app, markets.currency[gift_market], usd)
    amount = np.full(len(visit), NULL_INT, dtype=np.int64)
    gift_usd = GIFT_USD[rng.choice(len(GIFT_USD), size=gift.sum(), p=GIFT_SHARE)]
    day = at[gift] // SECONDS_PER_DAY
    amount[gift] = fx_table.round_amount(gift_usd * 100 / fx_table.rate(currency[gift], day), currency[gift])

    # logged in: the visit's account once it exists (people watch anonymously before signing up)
    person = visits.person[visit]
    account = np.full(len(visit), -1, dtype=np.int64)
    known = np.flatnonzero(person >= 0)
    if len(known):
        visit_account = np.full(n, -1, dtype=np.int64)
        by_person = np.flatnonzero(visits.person >= 0)
        visit_account[by_person] = people.account_at(
            visits.person[by_person], visits.join[by_person] + visits.watch[by_person], rng
        )
        chosen = visit_account[visit[known]]
        logged_in = (chosen >= 0) & (at[known] >= people.account_created[np.maximum(chosen, 0)])
        account[known[logged_in]] = chosen[logged_in]
    return Events(visit + visit_offset, kind, at, product, amount, currency, account)


def interactions_before(events: Events, visits: Attendances, until: np.ndarray, n_people: int) -> np.ndarray:
    """Logged-in interactions (not join/leave) of each person before ``until`` (their first order)."""
    person = visits.person[events.visit]
    counted = (events.account >= 0) & (events.kind > LEAVE) & (person >= 0)
    counted &= events.at < until[np.maximum(person, 0)]
    return np.bincount(person[counted], minlength=n_people)


def median_latency_before(visits: Attendances, until: np.ndarray, n_people: int) -> np.ndarray:
    """Median experienced latency over the sessions each person watched before ``until`` (NaN: none)."""
    seen = (visits.person >= 0) & (visits.join < until[np.maximum(visits.person, 0)])
    person, latency = visits.person[seen], visits.latency[seen]
    result = np.full(n_people, np.nan)
    if len(person) == 0:
        return result
    order = np.lexsort((latency, person))
    person, latency = person[order], latency[order]
    starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
    counts = np.diff(np.r_[starts, len(person)])
    result[person[starts]] = (latency[starts + (counts - 1) // 2] + latency[starts + counts // 2]) / 2
    return result


def events_frame(
    events: Events,
    visits: Attendances,
    sessions: Sessions,
    audience: Audience,
    people: People,
    catalog: Catalog,
    markets: Markets,
    first_event: int,
) -> Frame:
    order = np.argsort(events.at * len(EVENT_TYPES) + events.kind, kind="stable")
    visit = events.visit[order]
    return {
        "event_id": Text.of(ids.event_ids(first_event + np.arange(len(order)))),
        "session_id": Text(sessions.session_id, visits.session[visit]),
        "viewer_id": Text(audience.viewer_id, visits.device[visit]),
        "customer_id": Text(people.customer_id, events.account[order]),
        "event_type": Text.pick(EVENT_TYPES, events.kind[order]),
        "event_at": events.at[order],
        "product_id": Text(catalog.product_id, events.product[order]),
        "amount": events.amount[order],
        "currency": Text.pick(markets.currencies, events.currency[order]),
        "_market": audience.market[visits.device[visit]],
    }


def viewer_quality_frame(
    visits: Attendances, sessions: Sessions, audience: Audience, markets: Markets, rng: np.random.Generator
) -> Frame:
    """Own-app viewers report a sample every 3 minutes while watching."""
    sampled = np.flatnonzero(sessions.platform[visits.session] == OWN_APP)
    count = visits.watch[sampled] // VIEWER_SAMPLE_SECONDS
    visit = np.repeat(sampled, count)
    step = np.arange(len(visit)) - np.repeat(np.cumsum(count) - count, count)
    latency = visits.latency[visit] * rng.lognormal(0.0, 0.15, len(visit))
    interval = np.full(len(visit), VIEWER_SAMPLE_SECONDS * 1000, dtype=np.int64)
    order = np.argsort(visits.join[visit] + (step + 1) * VIEWER_SAMPLE_SECONDS, kind="stable")
    visit, step, latency = visit[order], step[order], latency[order]
    device = visits.device[visit]
    return {
        "session_id": Text(sessions.session_id, visits.session[visit]),
        "sampled_at": visits.join[visit] + (step + 1) * VIEWER_SAMPLE_SECONDS,
        "viewer_id": Text(audience.viewer_id, device),
        "country_code": Text.pick(markets.codes, audience.market[device]),
        "latency_ms": np.round(latency).astype(np.int64),
        "freeze_ms": np.round(interval * effects.freeze_ratio(latency, rng)).astype(np.int64),
        "interval_ms": interval,
        "_market": audience.market[device],
    }
