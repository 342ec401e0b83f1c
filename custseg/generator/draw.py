"""Random draws and array helpers shared by the generator's steps.

Every function that takes `rng` draws from it in a fixed order: the same calls in the same
order give the same numbers, which is what makes the output reproducible byte for byte.
"""

from __future__ import annotations

import numpy as np

from custseg.generator import vocab as V


def pick(rng: np.random.Generator, n: int, weights: np.ndarray | tuple[float, ...]) -> np.ndarray:
    """Categorical codes drawn with `weights`."""
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cum, rng.random(n) * cum[-1], side="right").astype(np.int32)


def pick_rows(rng: np.random.Generator, cum_rows: np.ndarray) -> np.ndarray:
    """One categorical draw per row from that row's cumulative weights (rows x k)."""
    u = rng.random(len(cum_rows)) * cum_rows[:, -1]
    return (u[:, None] >= cum_rows).sum(axis=1).astype(np.int32)


def unique_numbers(rng: np.random.Generator, n: int, modulus: int) -> np.ndarray:
    """n distinct pseudo-random numbers below `modulus` (an affine permutation of 0..n-1)."""
    if n > modulus:
        raise ValueError("too many ids for the id space")
    while True:
        a = int(rng.integers(modulus // 3, modulus - 1)) | 1
        if a % 5 and np.gcd(a, modulus) == 1:
            break
    c = int(rng.integers(0, modulus))
    i = np.arange(n, dtype=np.int64)
    return (a * i + c) % modulus


def obj(values: tuple[str, ...] | list[str]) -> np.ndarray:
    """An object array of texts (numpy string operations keep Python strings)."""
    return np.array(values, dtype=object)


def digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Numbers as zero-padded texts of at least `width` digits."""
    return np.char.zfill(numbers.astype(str), width).astype(object)


def fold_rows(values: np.ndarray, fold: np.ufunc) -> np.ndarray:
    """ASCII-fold a column through its distinct values (few), then index back."""
    distinct, inverse = np.unique(values.astype(str), return_inverse=True)
    return fold(distinct.astype(object)).astype(object)[inverse]


def upper(values: np.ndarray) -> np.ndarray:
    """Upper-case texts, through their distinct values."""
    distinct, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.char.upper(distinct).astype(object)[inverse]


def tz_of(country: np.ndarray) -> np.ndarray:
    """UTC offset (hours) of each country code."""
    return np.array([c[4] for c in V.COUNTRIES], np.int8)[country]


def home_currency(country: np.ndarray) -> np.ndarray:
    """Index into `V.CURRENCIES` of each country's currency."""
    codes = np.array([V.CURRENCIES.index(c[2]) for c in V.COUNTRIES])
    return codes[country]


def round_money(amount: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """VND to hundreds, JPY to units, other currencies to cents."""
    return np.where(
        cur == 1, np.round(amount, -2), np.where(cur == 5, np.round(amount), np.round(amount, 2))
    )


def uuid4(rng: np.random.Generator, n: int) -> np.ndarray:
    """n random UUID-4 texts (vectorised hex encoding of random bytes)."""
    raw = rng.integers(0, 256, (n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexchars = np.frombuffer(b"0123456789abcdef", np.uint8)
    chars = np.empty((n, 32), np.uint8)
    chars[:, 0::2] = hexchars[raw >> 4]
    chars[:, 1::2] = hexchars[raw & 15]
    dash = np.full((n, 1), ord("-"), np.uint8)
    parts = [chars[:, :8], dash, chars[:, 8:12], dash, chars[:, 12:16], dash, chars[:, 16:20]]
    text = np.ascontiguousarray(np.hstack([*parts, dash, chars[:, 20:]]))
    return text.view("S36").ravel().astype("U36").astype(object)
