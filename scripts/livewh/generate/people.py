"""People and their accounts: customers, customer_identifiers, the identity truth, deletion requests.

A chunk holds whole people. About 6.5% of people own more than one account: a second account linked
to the first through a shared email, phone, payment card or social login, and a few chains of 3-5
accounts where each link uses a different identifier. Family devices are shared by 2-4 different
people and two junk identifiers (a test card and a placeholder phone) by 25-40 unrelated accounts
per chunk: neither may merge people, and ``_truth_persons.csv`` says who is who.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from livewh.enumerations import enum_values
from livewh.generate import effects, ids
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig
from livewh.generate.markets import NAME_POOLS, ChannelSpellings, LanguageTags, Markets
from livewh.generate.tables import NULL_INT, Frame, Text, concat_strings, int_strings

MAX_ACCOUNTS = 5
ACCOUNTS_PER_PERSON_SHARE = np.array([0.935, 0.06, 0.0025, 0.0015, 0.001])
#: identifier types in their enumeration order (rows are sorted by it)
IDENTIFIER_TYPES = enum_values("identifier_type")
#: the types that link a person's accounts (a shared device id is noise, not a link)
LINK_TYPES = tuple(kind for kind in IDENTIFIER_TYPES if kind != "device")
JUNK_CARD = "tok_visa_4242424242424242"
JUNK_PHONE = "+1 000 000 0000"
JUNK_PHONE_E164 = "+10000000000"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

#: (market, wanted creation time, rng) -> (live session signed up in or -1, creation time inside it)
SignupSessionFinder = Callable[[np.ndarray, np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray]]


@dataclass
class People:
    """The people of one chunk and their accounts (local indices; ``*_global`` are file-wide)."""

    # people
    person_global: np.ndarray
    market: np.ndarray
    language: np.ndarray
    channel: np.ndarray  # taxonomy index of the primary account (the planted acquisition channel)
    accounts: np.ndarray  # person x MAX_ACCOUNTS local account indices, -1 = none
    signup_session: np.ndarray  # live session where a live_stream person signed up, -1 = none
    # accounts
    account_person: np.ndarray
    account_global: np.ndarray
    account_created: np.ndarray
    customer_id: pa.Array
    email: list[str | None]
    phone: list[str | None]
    phone_e164: list[str | None]
    links: list[tuple[int, int, str]]  # (account, next account of the same person, shared identifier)

    @property
    def n_people(self) -> int:
        return len(self.person_global)

    @property
    def n_accounts(self) -> int:
        return len(self.account_person)

    @property
    def first_created(self) -> np.ndarray:
        return self.account_created[self.accounts[:, 0]]

    def account_at(self, person: np.ndarray, when: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The account a person uses at each time: mostly the newest existing one (-1: none yet)."""
        candidates = self.accounts[person]
        created = np.where(
            candidates >= 0, self.account_created[np.maximum(candidates, 0)], np.iinfo(np.int64).max
        )
        usable = created <= when[:, None]
        newest = np.argmax(np.where(usable, created, np.iinfo(np.int64).min), axis=1)
        other = np.argmax(np.where(usable, rng.random(candidates.shape), -1.0), axis=1)
        slot = np.where(rng.random(len(person)) < 0.6, newest, other)
        chosen = candidates[np.arange(len(person)), slot]
        return np.where(usable.any(axis=1), chosen, -1)


def _creation_times(config: GenerateConfig, n: int, rng: np.random.Generator) -> np.ndarray:
    """12% of accounts predate the period; the rest arrive at a rate growing by 80% over it."""
    growth = 0.8
    u = rng.random(n)
    position = (-1 + np.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth
    during = config.start_ts + position * (config.end_ts - config.start_ts - 3600)
    before = config.start_ts - rng.random(n) * 365 * SECONDS_PER_DAY
    return np.where(rng.random(n) < 0.12, before, during).astype(np.int64)


def _accounts_per_person(n_accounts: int, rng: np.random.Generator) -> np.ndarray:
    counts = rng.choice(np.arange(1, MAX_ACCOUNTS + 1), size=n_accounts, p=ACCOUNTS_PER_PERSON_SHARE)
    total = np.cumsum(counts)
    people = int(np.searchsorted(total, n_accounts)) + 1
    counts = counts[:people]
    counts[-1] -= total[people - 1] - n_accounts
    return counts


def make_people(
    config: GenerateConfig,
    markets: Markets,
    signup_sessions: SignupSessionFinder,
    chunk: int,
    person_offset: int,
    account_offset: int,
    n_accounts: int,
    rng: np.random.Generator,
    single_accounts: bool = False,
) -> People:
    """The people of one chunk; ``single_accounts``: one account each (nobody shares an email or phone)."""
    counts = np.ones(n_accounts, dtype=np.int64) if single_accounts else _accounts_per_person(n_accounts, rng)
    n_people = len(counts)
    market = rng.choice(markets.count, size=n_people, p=markets.weight)
    language = np.empty(n_people, dtype=np.int64)
    for index, (choices, shares) in enumerate(markets.language_choices):
        rows = np.flatnonzero(market == index)
        language[rows] = choices[rng.choice(len(choices), size=len(rows), p=shares)]
    channel = rng.choice(len(effects.CHANNEL_SHARE), size=n_people, p=effects.CHANNEL_SHARE)

    # accounts: the primary one first, later ones 15-360 days apart
    account_person = np.repeat(np.arange(n_people), counts)
    rank = np.arange(n_accounts) - np.repeat(np.cumsum(counts) - counts, counts)
    accounts = np.full((n_people, MAX_ACCOUNTS), -1, dtype=np.int64)
    accounts[account_person, rank] = np.arange(n_accounts)
    primary_created = _creation_times(config, n_people, rng)
    signup_session = np.full(n_people, -1, dtype=np.int64)
    signs_up_live = (channel == effects.CHANNEL_INDEX["live_stream"]) & (primary_created >= config.start_ts)
    rows = np.flatnonzero(signs_up_live)
    session, created_in_session = signup_sessions(market[rows], primary_created[rows], rng)
    found = session >= 0
    signup_session[rows[found]] = session[found]
    primary_created[rows[found]] = created_in_session[found]
    created = primary_created[account_person].copy()
    for level in range(1, MAX_ACCOUNTS):
        later = np.flatnonzero(rank == level)
        previous = created[later - 1]
        step = rng.uniform(15, 360, len(later)) * SECONDS_PER_DAY
        room = config.end_ts - 3600 - previous
        step = np.where(step < room, step, room * rng.uniform(0.2, 0.9, len(later)))
        created[later] = previous + np.maximum(step, 60).astype(np.int64)

    account_global = account_offset + np.arange(n_accounts)
    customer_id = ids.customer_ids(account_global, rng.random(n_accounts) < 0.5)
    email, phone, phone_e164 = _contact_details(markets, market[account_person], account_global, rng)
    links = _link_accounts(accounts, counts, account_global, email, phone, phone_e164, rng)
    return People(
        person_global=person_offset + np.arange(n_people),
        market=market,
        language=language,
        channel=channel,
        accounts=accounts,
        signup_session=signup_session,
        account_person=account_person,
        account_global=account_global,
        account_created=created,
        customer_id=customer_id,
        email=email,
        phone=phone,
        phone_e164=phone_e164,
        links=links,
    )


def _pick_from_pools(
    pools: dict[str, tuple[str, ...]], pool_of_row: list[str], rng: np.random.Generator
) -> pa.Array:
    vocabulary = [name for pool in pools for name in pools[pool]]
    start = {
        pool: sum(len(pools[other]) for other in list(pools)[: list(pools).index(pool)]) for pool in pools
    }
    first = np.array([start[pool] for pool in pool_of_row])
    size = np.array([len(pools[pool]) for pool in pool_of_row])
    return Text.pick(vocabulary, first + np.floor(rng.random(len(first)) * size).astype(np.int64)).to_arrow()


def _contact_details(
    markets: Markets, market: np.ndarray, account_global: np.ndarray, rng: np.random.Generator
) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """Fake emails (example.* domains only) and phones in the formats shops export, some missing."""
    n = len(market)
    pool = [markets.name_pools[m] for m in market]
    first = _pick_from_pools({name: names[0] for name, names in NAME_POOLS.items()}, pool, rng)
    last = _pick_from_pools({name: names[1] for name, names in NAME_POOLS.items()}, pool, rng)
    separator = Text.pick((".", "_", ""), rng.choice(3, size=n, p=[0.5, 0.2, 0.3])).to_arrow()
    number = int_strings(ids.scramble(account_global, 10_000_000, 3_141_593, 27_183))
    domain = Text.pick(EMAIL_DOMAINS, rng.choice(3, size=n, p=[0.5, 0.25, 0.25])).to_arrow()
    email = concat_strings(first, separator, last, number, "@", domain)
    style = rng.random(n)
    email = pc.if_else(pa.array(style < 0.05), pc.utf8_title(email), email)
    email = pc.if_else(pa.array((style >= 0.05) & (style < 0.07)), pc.utf8_upper(email), email)
    space = rng.random(n)
    email = pc.if_else(pa.array(space < 0.02), concat_strings(" ", email), email)
    email = pc.if_else(pa.array((space >= 0.02) & (space < 0.04)), concat_strings(email, " "), email)
    sea = np.isin(
        market, [markets.index(code) for code in ("ID", "TH", "VN", "PH", "MY") if code in markets.codes]
    )
    email_missing = rng.random(n) < np.where(sea, 0.15, 0.06)

    calling = Text.pick(markets.calling_codes, market).to_arrow()
    area_vocabulary = [code for codes in markets.area_codes for code in codes]
    area_start = np.cumsum([0] + [len(codes) for codes in markets.area_codes])[:-1]
    area_size = np.array([len(codes) for codes in markets.area_codes])
    area = Text.pick(area_vocabulary, area_start[market] + rng.integers(0, 1_000_000, n) % area_size[market])
    subscriber = int_strings(ids.scramble(account_global, 10_000_000, 2_718_281, 314_159) + 0, 7)
    form = rng.choice(4, size=n, p=[0.4, 0.2, 0.15, 0.25])
    prefix = Text.pick(("+", "+", "00", "+"), form).to_arrow()
    gap = Text.pick((" ", "-", "", ""), form).to_arrow()
    phone = concat_strings(prefix, calling, gap, area.to_arrow(), gap, subscriber)
    e164 = concat_strings("+", calling, area.to_arrow(), subscriber)
    phone_missing = rng.random(n) < 0.35

    emails = [
        None if missing else value for value, missing in zip(email.to_pylist(), email_missing, strict=True)
    ]
    phones = [
        None if missing else value for value, missing in zip(phone.to_pylist(), phone_missing, strict=True)
    ]
    return emails, phones, e164.to_pylist()


def _respell_email(email: str, rng: np.random.Generator) -> str:
    """The same address as another system exports it (case, stray spaces)."""
    variant = rng.integers(0, 4)
    text = email.strip()
    return [text.lower(), text.upper(), f" {text.title()}", f"{text} "][variant]


def _link_accounts(
    accounts: np.ndarray,
    counts: np.ndarray,
    account_global: np.ndarray,
    email: list[str | None],
    phone: list[str | None],
    phone_e164: list[str | None],
    rng: np.random.Generator,
) -> list[tuple[int, int, str]]:
    """Tie each later account of a person to the previous one by one shared identifier."""
    links: list[tuple[int, int, str]] = []
    for person in np.flatnonzero(counts > 1):
        order = rng.permutation(len(LINK_TYPES))
        for level in range(1, int(counts[person])):
            previous, current = int(accounts[person, level - 1]), int(accounts[person, level])
            kind = LINK_TYPES[order[(level - 1) % len(LINK_TYPES)]]
            if kind == "email":
                if email[previous] is None:
                    email[previous] = email[current] or f"shopper{account_global[previous]}@example.com"
                if rng.random() < 0.6:  # shown on the account itself, not only as an extra identifier
                    email[current] = _respell_email(str(email[previous]), rng)
            elif kind == "phone":
                phone_e164[current] = phone_e164[previous]
                if phone[previous] is None:
                    phone[previous] = phone_e164[previous]
                if rng.random() < 0.6:
                    phone[current] = phone_e164[previous]
            links.append((previous, current, kind))
    return links


def customers_frame(
    people: People,
    markets: Markets,
    tags: LanguageTags,
    spellings: ChannelSpellings,
    rng: np.random.Generator,
) -> Frame:
    n = people.n_accounts
    person = people.account_person
    market = people.market[person]
    primary = np.zeros(n, dtype=bool)
    primary[people.accounts[:, 0]] = True
    # later accounts came from anywhere; the primary account carries the person's channel
    channel = np.where(
        primary, people.channel[person], rng.choice(len(effects.CHANNEL_SHARE), n, p=effects.CHANNEL_SHARE)
    )
    channel_code = spellings.draw(channel, rng)
    unknown = channel == effects.CHANNEL_INDEX["unknown"]
    odd = rng.random(n)
    channel_code[unknown & (odd < 0.2)] = -1  # empty
    channel_code[unknown & (odd >= 0.2) & (odd < 0.4)] = spellings.unmapped

    country_values = list(markets.codes) + [code.lower() for code in markets.codes]
    country = market.copy()
    style = rng.random(n)
    country[style < 0.03] += markets.count  # lowercase
    missing_country = style > np.where(primary, 0.98, 0.92)
    country[missing_country] = -1

    language = tags.draw(market, people.language[person], rng)
    language[rng.random(n) < 0.05] = -1
    return {
        "customer_id": Text.of(people.customer_id),
        "created_at": people.account_created,
        "country_code": Text.pick(country_values, country),
        "language": Text(tags.values, language),
        "acquisition_channel": Text(spellings.values, channel_code),
        "email": Text.of(people.email),
        "phone": Text.of(people.phone),
        "_market": np.where(missing_country, -1, market),
    }


def junk_accounts(people: People, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Accounts sharing the test card and the placeholder phone: 25-40 unrelated people each."""
    singles = people.accounts[people.accounts[:, 1] < 0, 0]
    size = min(len(singles), int(rng.integers(25, 41)))
    card = rng.choice(singles, size=size, replace=False)
    phone = rng.choice(singles, size=min(len(singles), int(rng.integers(25, 41))), replace=False)
    return np.sort(card), np.sort(phone)


def apply_junk_phone(people: People, junk_phone: np.ndarray, rng: np.random.Generator) -> None:
    """Half of the placeholder-phone accounts also typed it into their profile."""
    for account in junk_phone[rng.random(len(junk_phone)) < 0.5]:
        people.phone[int(account)] = JUNK_PHONE


@dataclass
class DeviceUse:
    """Devices seen on each account: (account, device index) pairs and the device id vocabulary."""

    account: np.ndarray
    device: np.ndarray
    device_ids: pa.Array


def identifiers_frame(
    config: GenerateConfig,
    people: People,
    markets: Markets,
    buyers: np.ndarray,
    devices: DeviceUse,
    junk_card: np.ndarray,
    junk_phone: np.ndarray,
    rng: np.random.Generator,
) -> Frame:
    """customer_identifiers rows: own identifiers, shared ones for linked accounts, devices, junk."""
    n = people.n_accounts
    rows_account: list[np.ndarray] = []
    rows_type: list[np.ndarray] = []
    rows_value: list[pa.Array] = []

    def add(account: np.ndarray, kind: str, value: pa.Array) -> None:
        rows_account.append(np.asarray(account, dtype=np.int64))
        rows_type.append(np.full(len(account), IDENTIFIER_TYPES.index(kind)))
        rows_value.append(value)

    emails = pa.array(people.email, pa.string())
    has_email = np.asarray(emails.is_valid()) & (rng.random(n) < 0.55)
    normalised = pc.utf8_lower(pc.utf8_trim_whitespace(emails))
    add(np.flatnonzero(has_email), "email", normalised.filter(pa.array(has_email)))
    phones = pa.array(people.phone_e164, pa.string())
    has_phone = (rng.random(n) < 0.35) & ~np.isin(np.arange(n), junk_phone)
    add(np.flatnonzero(has_phone), "phone", phones.filter(pa.array(has_phone)))
    social = rng.random(n) < 0.25
    add(
        np.flatnonzero(social),
        "social",
        ids.social_ids(people.account_global[social] * 2, rng.integers(0, 4, social.sum())),
    )
    second_card = buyers & (rng.random(n) < 0.1)
    add(np.flatnonzero(buyers), "payment", ids.payment_fingerprints(people.account_global[buyers] * 2))
    add(
        np.flatnonzero(second_card),
        "payment",
        ids.payment_fingerprints(people.account_global[second_card] * 2 + 1),
    )

    # identifiers shared along each person's chain of accounts
    for kind in LINK_TYPES:
        pairs = np.array([(a, b) for a, b, k in people.links if k == kind], dtype=np.int64).reshape(-1, 2)
        if len(pairs) == 0:
            continue
        both = pairs.ravel()
        if kind == "email":
            shared = pc.utf8_lower(pc.utf8_trim_whitespace(emails.take(pa.array(np.repeat(pairs[:, 0], 2)))))
        elif kind == "phone":
            shared = phones.take(pa.array(np.repeat(pairs[:, 0], 2)))
        elif kind == "payment":
            shared = ids.payment_fingerprints(
                np.repeat(people.account_global[pairs[:, 0]], 2) * 2 + 1_000_000_001
            )
        else:
            provider = np.repeat(rng.integers(0, 4, len(pairs)), 2)
            shared = ids.social_ids(np.repeat(people.account_global[pairs[:, 0]], 2) * 2 + 1, provider)
        add(both, kind, shared)

    add(devices.account, "device", devices.device_ids.take(pa.array(devices.device)))
    add(junk_card, "payment", pa.array([JUNK_CARD] * len(junk_card), pa.string()))
    add(junk_phone, "phone", pa.array([JUNK_PHONE_E164] * len(junk_phone), pa.string()))

    account = np.concatenate(rows_account)
    kind = np.concatenate(rows_type)
    value = pa.concat_arrays(rows_value)
    created = people.account_created[account]
    seen = created + (rng.exponential(20, len(account)) * SECONDS_PER_DAY).astype(np.int64)
    observed = np.where(seen < config.end_ts, seen, created)
    observed[rng.random(len(account)) < 0.1] = NULL_INT
    order = np.lexsort((kind, account))
    return {
        "customer_id": Text.pick(people.customer_id, account[order]),
        "identifier_type": Text.pick(IDENTIFIER_TYPES, kind[order]),
        "identifier_value": Text(value, order.astype(np.int64)),
        "observed_at": observed[order],
        "_market": people.market[people.account_person[account[order]]],
    }


def truth_frame(people: People) -> Frame:
    return {
        "customer_id": Text.of(people.customer_id),
        "person_id": Text.of(ids.person_ids(people.person_global[people.account_person])),
    }


def deletion_frame(
    config: GenerateConfig, people: People, first_chunk: bool, rng: np.random.Generator
) -> Frame:
    """About one request per 1,000 accounts; in the first chunk one erases only one of a person's accounts."""
    count = max(1 if first_chunk else 0, round(people.n_accounts / 1000))
    chosen: list[int] = []
    multi = np.flatnonzero((people.accounts[:, 1] >= 0) & (people.accounts[:, 2] < 0))  # exactly two accounts
    if first_chunk and len(multi):
        chosen.append(int(people.accounts[rng.choice(multi), 1]))
    singles = people.accounts[people.accounts[:, 1] < 0, 0]
    chosen.extend(
        int(a) for a in rng.choice(singles, size=min(len(singles), count - len(chosen)), replace=False)
    )
    account = np.array(sorted(chosen), dtype=np.int64)
    earliest = np.maximum(people.account_created[account] + SECONDS_PER_DAY, config.start_ts)
    latest = config.end_ts - 3600
    requested = np.where(
        earliest < latest,
        earliest + (rng.random(len(account)) * (latest - earliest)).astype(np.int64),
        latest,
    )
    # some requests are logged as a date only (midnight UTC), when that is still after the sign-up
    midnight = requested // SECONDS_PER_DAY * SECONDS_PER_DAY
    as_date = (rng.random(len(account)) < 0.3) & (midnight > people.account_created[account])
    requested = np.where(as_date, midnight, requested)
    return {
        "customer_id": Text.pick(people.customer_id, account),
        "requested_at": requested,
        "_market": np.full(len(account), -1),
    }
