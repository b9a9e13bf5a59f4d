"""Identifier spellings. Every id is a bijection of a running number, so ids never collide by chance.

Bad rows (see bad_rows.py) use ids from spaces that clean rows never reach, listed here too.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from livewh.generate.tables import concat_strings, int_strings

_ALPHABET = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
_BASE36_6 = 36**6
_HEX_16 = 2**63


def scramble(values: np.ndarray, modulus: int, multiplier: int, offset: int = 0) -> np.ndarray:
    """A permutation of [0, modulus) (multiplier must be coprime with modulus)."""
    as_int = np.asarray(values).astype(object) if modulus > 2**31 else np.asarray(values, dtype=np.int64)
    return np.asarray((as_int * multiplier + offset) % modulus, dtype=np.int64)


def base36(values: np.ndarray, width: int) -> pa.Array:
    digits = np.empty((len(values), width), dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for position in range(width - 1, -1, -1):
        digits[:, position] = _ALPHABET[rest % 36]
        rest //= 36
    return pa.array(digits.view(f"S{width}").ravel()).cast(pa.string())


def hex_digits(values: np.ndarray, width: int) -> pa.Array:
    digits = np.empty((len(values), width), dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for position in range(width - 1, -1, -1):
        digits[:, position] = _ALPHABET[rest % 16]
        rest //= 16
    return pa.array(digits.view(f"S{width}").ravel()).cast(pa.string())


def customer_ids(account: np.ndarray, numeric: np.ndarray) -> pa.Array:
    """Account ids: "1000234"-style numbers (own app) or "acc_8f3k2q" (marketplace and social sign-ups)."""
    number = int_strings(1_000_000 + scramble(account, 10_000_000, 6_180_339, 4_049))
    code = concat_strings("acc_", base36(scramble(account, _BASE36_6, 1_345_327_153, 987_654_321), 6))
    return pc.if_else(pa.array(np.asarray(numeric, dtype=bool)), number, code)


def unknown_customer_ids(n: int, rng: np.random.Generator) -> pa.Array:
    """Nine-digit account numbers starting with 9: longer than any real account number."""
    return int_strings(900_000_000 + rng.integers(0, 99_999_999, n))


def person_ids(person: np.ndarray) -> pa.Array:
    return concat_strings("P", int_strings(person, 7))


def device_ids(device: np.ndarray) -> pa.Array:
    """Device (viewer) ids of people: "dv-" and 10 base-36 digits."""
    return concat_strings(
        "dv-", base36(scramble(device, 36**10, 2_259_505_915_958_917, 1_234_567_890_123), 10)
    )


def anonymous_viewer_ids(viewer: np.ndarray) -> pa.Array:
    """Viewer ids of people who never log in: "anon-" and 12 hex digits."""
    return concat_strings(
        "anon-", hex_digits(scramble(viewer, 16**12, 173_951_535_607_185, 98_765_432_101), 12)
    )


def payment_fingerprints(value: np.ndarray) -> pa.Array:
    return concat_strings(
        "pf_", hex_digits(scramble(value, _HEX_16, 5_700_357_409_661_598_721, 1_111_111_111_111_111_111), 16)
    )


def social_ids(value: np.ndarray, provider: np.ndarray) -> pa.Array:
    names = pa.array(["google:", "facebook:", "apple:", "tiktok:"])
    number = int_strings(scramble(value, 10**15, 618_033_988_749_897, 271_828_182_845_904), 15)
    return concat_strings(names.take(pa.array(provider)), number)


def order_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("SO", int_strings(10_000_000 + counter, 8))


def unknown_order_ids(n: int, rng: np.random.Generator) -> pa.Array:
    return concat_strings("SO", int_strings(900_000_000 + rng.integers(0, 99_999_999, n)))


def refund_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("RF", int_strings(10_000_000 + counter, 8))


def session_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("ls_", int_strings(100_000 + counter, 6))


def unknown_session_ids(n: int, rng: np.random.Generator) -> pa.Array:
    return concat_strings("ls_", int_strings(90_000_000 + rng.integers(0, 9_999_999, n)))


def event_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("ev", int_strings(counter, 10))


def host_ids(host: np.ndarray) -> pa.Array:
    return concat_strings("host_", int_strings(host + 1, 4))


def unknown_product_ids(category_codes: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Product ids in the real pattern but with five digits (real ones have four)."""
    return concat_strings(
        "SKU-", category_codes, "-", int_strings(90_000 + rng.integers(0, 9_999, len(category_codes)))
    )


def campaign_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("cmp_", int_strings(1_000 + counter, 5))


def unknown_campaign_ids(n: int, rng: np.random.Generator) -> pa.Array:
    """Campaign ids with eight digits starting with 9 (real ones have five)."""
    return concat_strings("cmp_", int_strings(90_000_000 + rng.integers(0, 9_999_999, n)))


def message_ids(counter: np.ndarray) -> pa.Array:
    return concat_strings("msg", int_strings(counter, 10))
