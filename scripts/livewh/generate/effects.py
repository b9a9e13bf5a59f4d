"""The behaviour planted in the demo data, in one place (docs/demo-data.md quotes these values).

Repurchase is planted per true person. After the first purchase, the person comes back (buys again
on a later day) with probability

    p_return = min(REPEAT_CAP, REPEAT_BASE * channel * first_category * interaction * quality * delivery)

and the gap to that second purchase day is log-normal around a median that depends on the first
category. After the second purchase, each further purchase follows with CONTINUE_PROBABILITY (heavy
buyers: HEAVY_CONTINUE_PROBABILITY and short gaps). Cancelled and fully refunded orders are added on
top of this chain, so the qualifying purchase days a mart counts are exactly the planted chain.
"""

from __future__ import annotations

import numpy as np

from livewh.generate.catalog import CATEGORIES
from livewh.generate.markets import CHANNEL_TAXONOMY

CHANNEL_INDEX = {channel: index for index, channel in enumerate(CHANNEL_TAXONOMY)}


def _by_channel(values: dict[str, float]) -> np.ndarray:
    assert set(values) == set(CHANNEL_TAXONOMY)
    return np.array([values[channel] for channel in CHANNEL_TAXONOMY])


def _by_category(values: dict[str, float]) -> np.ndarray:
    assert set(values) == set(CATEGORIES)
    return np.array([values[category] for category in CATEGORIES])


# --- who the accounts are ------------------------------------------------------------------------
#: Acquisition channel of the first (primary) account. "unknown" also covers empty values and the
#: unmapped text "billboard" (each about a fifth of that group).
CHANNEL_SHARE = _by_channel(
    {
        "short_video": 0.20,
        "feed_ads": 0.20,
        "search": 0.09,
        "affiliate_kol": 0.10,
        "live_stream": 0.15,
        "social_organic": 0.08,
        "email_sms": 0.04,
        "direct": 0.07,
        "other": 0.02,
        "unknown": 0.05,
    }
)
#: Share of people who watch live sessions at all, by acquisition channel.
VIEWER_PROBABILITY = _by_channel(
    {
        "short_video": 0.85,
        "feed_ads": 0.55,
        "search": 0.5,
        "affiliate_kol": 0.9,
        "live_stream": 1.0,
        "social_organic": 0.7,
        "email_sms": 0.65,
        "direct": 0.6,
        "other": 0.55,
        "unknown": 0.55,
    }
)
#: Share of people who attempt a first purchase (a live attempt can still fail on bad quality).
BUYER_PROBABILITY = _by_channel(
    {
        "short_video": 0.78,
        "feed_ads": 0.74,
        "search": 0.8,
        "affiliate_kol": 0.84,
        "live_stream": 0.88,
        "social_organic": 0.74,
        "email_sms": 0.78,
        "direct": 0.74,
        "other": 0.68,
        "unknown": 0.68,
    }
)
#: For buyers who watch live: share whose first purchase happens in (or just after) a live session.
LIVE_FIRST_PROBABILITY = _by_channel(
    {
        "short_video": 0.85,
        "feed_ads": 0.7,
        "search": 0.65,
        "affiliate_kol": 0.9,
        "live_stream": 0.95,
        "social_organic": 0.75,
        "email_sms": 0.7,
        "direct": 0.7,
        "other": 0.65,
        "unknown": 0.65,
    }
)
#: For viewers, share of later purchases placed through a live session.
LIVE_REPEAT_PROBABILITY = 0.85
#: A live repeat order is placed during a broadcast or up to this many days after it.
POST_LIVE_DAYS = 4

# --- repurchase ----------------------------------------------------------------------------------
REPEAT_BASE = 0.24
REPEAT_CAP = 0.95
REPEAT_CHANNEL_MULTIPLIER = _by_channel(
    {
        "short_video": 1.0,
        "feed_ads": 0.6,
        "search": 0.9,
        "affiliate_kol": 1.3,
        "live_stream": 1.4,
        "social_organic": 1.05,
        "email_sms": 1.1,
        "direct": 1.0,
        "other": 0.9,
        "unknown": 0.9,
    }
)
REPEAT_CATEGORY_MULTIPLIER = _by_category(
    {
        "beauty": 1.3,
        "skincare": 1.35,
        "apparel": 0.95,
        "accessories": 0.9,
        "home": 0.85,
        "electronics": 0.5,
        "snacks": 1.45,
        "pet": 1.4,
        "toys": 0.85,
        "sports": 0.85,
    }
)
#: More than this many live interactions (logged in, any account of the person) before the first
#: purchase multiplies the chance to come back by HIGH_INTERACTION_MULTIPLIER.
HIGH_INTERACTION_THRESHOLD = 5
HIGH_INTERACTION_MULTIPLIER = 2.0
#: Median experienced latency over the sessions watched before the first purchase at or above this
#: multiplies the chance to come back by BAD_QUALITY_MULTIPLIER.
BAD_LATENCY_MS = 1000.0
BAD_QUALITY_MULTIPLIER = 0.7
#: A first order delivered after more than this many days multiplies it by SLOW_DELIVERY_MULTIPLIER.
SLOW_DELIVERY_DAYS = 14
SLOW_DELIVERY_MULTIPLIER = 0.7

#: Median days from the first to the second purchase day, by first category (log-normal, sigma below).
GAP_MEDIAN_DAYS = _by_category(
    {
        "beauty": 30,
        "skincare": 30,
        "apparel": 55,
        "accessories": 55,
        "home": 55,
        "electronics": 95,
        "snacks": 30,
        "pet": 30,
        "toys": 55,
        "sports": 55,
    }
)
GAP_SIGMA = 0.8
#: After the second purchase day: chance of each further purchase.
CONTINUE_PROBABILITY = 0.66
#: Heavy buyers (a share of buyers) keep buying with short gaps after their second purchase.
HEAVY_BUYER_SHARE = 0.07
HEAVY_CONTINUE_PROBABILITY = 0.88
HEAVY_GAP_MEDIAN_DAYS = 12

# --- first purchase timing -------------------------------------------------------------------------
SAME_DAY_FIRST_PURCHASE = 0.35  # share of non-live first purchases on the day the account was created
FIRST_PURCHASE_MEAN_DAYS = 25.0  # otherwise exponential wait

# --- orders beyond the chain ------------------------------------------------------------------------
SAME_DAY_EXTRA_ORDER = 0.08  # share of chain orders followed by another order the same local day
ZERO_VALUE_SHARE = 0.012  # free promotional orders (still qualifying purchases)
CANCELLED_PER_ORDER = 0.055  # extra cancelled orders per chain order
FULL_REFUND_PER_ORDER = 0.03  # extra orders later fully refunded, per chain order
PARTIAL_REFUND_SHARE = 0.04  # delivered chain orders with a partial refund
TWO_PART_REFUND_SHARE = 0.25  # refunds paid in two parts

# --- live viewing -----------------------------------------------------------------------------------
SESSIONS_PER_HOST_DAY = 0.2  # mean broadcasts per host and day (so 25 hosts: about 5 a day)
VIEWER_MONTHLY_SESSIONS = 2.0  # median sessions a month of a watching person (log-normal, sigma 0.9)
VIEWER_LIFETIME_DAYS = 240.0  # mean days a person keeps watching
ANONYMOUS_VIEWERS_PER_ACCOUNT = 0.9  # viewers who never log in, per account
WATCH_MEAN_MINUTES = 16.0
INTERACTIONS_PER_MINUTE = 0.3  # times the viewer's engagement (log-normal, median 0.5)
NEVER_LEAVE_SHARE = 0.07
REJOIN_SHARE = 0.08


def watch_factor(latency_ms: np.ndarray) -> np.ndarray:
    """Bad latency shortens watching: 1 up to 300 ms, 0.78 at 600 ms, 0.56 at 1000 ms."""
    return np.exp(-np.maximum(0.0, latency_ms - 300.0) / 1200.0)


def conversion_factor(latency_ms: np.ndarray) -> np.ndarray:
    """Chance a live purchase attempt goes through: 1 up to 400 ms, 0.80 at 600 ms, 0.51 at 1000 ms."""
    return np.exp(-np.maximum(0.0, latency_ms - 400.0) / 900.0)


def freeze_ratio(latency_ms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Share of a sample interval spent frozen; grows with latency, often zero on good links."""
    base = np.clip(0.002 + np.maximum(0.0, latency_ms - 400.0) / 12_000.0, 0.0, 0.3)
    ratio = base * rng.exponential(1.0, size=len(latency_ms))
    ratio[(latency_ms < 800) & (rng.random(len(latency_ms)) < 0.5)] = 0.0
    return np.minimum(ratio, 0.6)


# --- campaigns and membership (docs/demo-data.md, "Campaigns and membership") -----------------------
# Campaign effects are planted without touching any other table (which stay byte-identical): the
# people a message moves ("compliers": their order or visit happens only because of it) are always
# in the treated group, everybody else is split at random. The complier share is chosen so that the
# expected treated - control difference of the outcome is the planted uplift.
#: Always-on win-back push: to a buyer on the WINBACK_SILENT_DAYS-th day without activity (a
#: qualifying order or a live visit), from WINBACK_START_DAY days into the period; a share is held
#: out as control. Planted: +WINBACK_UPLIFT in the 30-day return (an order or a live visit).
WINBACK_SILENT_DAYS = 45
WINBACK_START_DAY = 120
WINBACK_CONTROL_SHARE = 0.2
WINBACK_UPLIFT = 0.10
WINBACK_WINDOW_DAYS = 30
#: One-shot reactivation email to churned buyers (no activity for more than this many days), at
#: this share of the period; half held out; planted uplift zero (a campaign that does nothing).
REACTIVATION_AT_SHARE = 0.6
REACTIVATION_CHURNED_DAYS = 90
REACTIVATION_CONTROL_SHARE = 0.5
#: One-shot cross-sell in-app message to a share of the buyers active in the last 30 days; no control.
CROSS_SELL_AT_SHARE = 0.75
CROSS_SELL_ACTIVE_DAYS = 30
CROSS_SELL_SHARE = 0.6
#: One-shot member offer email to every current member; no control.
MEMBER_OFFER_AT_SHARE = 0.85
#: Live reminders: every LIVE_REMINDER_EVERY_DAYS days, for the next broadcast of each of the
#: LIVE_REMINDER_MARKETS largest markets (from LIVE_REMINDER_START_DAY days in), sent
#: LIVE_REMINDER_LEAD_HOURS before the announced start to a random LIVE_REMINDER_SELECTED_SHARE of the
#: people who visited a broadcast of that market in the LIVE_REMINDER_LOOKBACK_DAYS before it (the
#: others are the comparable non-reminded viewers); of those selected, LIVE_REMINDER_CONTROL_SHARE
#: is held out. Planted: +LIVE_REMINDER_UPLIFT in attendance of that broadcast (pooled over the
#: reminders of a chunk of people).
LIVE_REMINDER_EVERY_DAYS = 14
LIVE_REMINDER_MARKETS = 4
LIVE_REMINDER_START_DAY = 60
LIVE_REMINDER_LEAD_HOURS = 2
LIVE_REMINDER_LOOKBACK_DAYS = 30
LIVE_REMINDER_SELECTED_SHARE = 0.7
LIVE_REMINDER_CONTROL_SHARE = 0.2
LIVE_REMINDER_UPLIFT = 0.05
#: What recipients do with a message they got (channel: delivered, opened without / with the
#: outcome, clicked given opened).
MESSAGE_BEHAVIOUR = {
    "push": (0.95, 0.10, 0.35, 0.40),
    "email": (0.97, 0.18, 0.30, 0.25),
    "in_app": (0.90, 0.30, 0.40, 0.30),
    "live_reminder": (0.96, 0.20, 0.55, 0.50),
}
#: Membership: after each purchase day (1st, 2nd, 3rd, 4th and later) a buyer who is not a member
#: joins with these probabilities (heavier buyers join: the selection effect), MEMBER_JOIN_DAYS after
#: it at most; a buyer who will buy again within 90 days after the end of the join month joins with
#: a further MEMBER_COMPLIER_SHARE (the part of the members' repurchase that membership brings).
MEMBER_JOIN_PROBABILITY = (0.02, 0.08, 0.20, 0.30)
MEMBER_COMPLIER_SHARE = 0.10
MEMBER_JOIN_DAYS = 14
MEMBER_OUTCOME_DAYS = 90
#: A member moves from the first tier to the second after this many further purchase days; a share
#: of members leave 60-300 days after joining.
MEMBER_TIERS = ("Silver", "Gold")
MEMBER_UPGRADE_PURCHASE_DAYS = 3
MEMBER_LEAVE_SHARE = 0.10
