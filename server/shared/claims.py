"""JWT claim shapes both services hold tokens to before trusting a library with them."""

from __future__ import annotations

import math

#: RFC 7519 claims that hold a NumericDate.
DATE_CLAIMS = ("exp", "iat", "nbf")

#: Largest accepted NumericDate magnitude: exactly representable as a float (year ~285 million).
MAX_NUMERIC_DATE = 2**53


def numeric_date(value: object) -> bool:
    """A JSON number within +-2**53 (not a string, a boolean, NaN or Infinity).

    PyJWT accepts anything ``int()`` accepts (a string "123", a boolean) and Python's json reads
    NaN and Infinity, so dates are checked here first."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -MAX_NUMERIC_DATE <= value <= MAX_NUMERIC_DATE
