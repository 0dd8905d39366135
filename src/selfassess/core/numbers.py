"""How the product shows a number to one decimal place, in every format alike."""

from decimal import ROUND_HALF_UP, Decimal

_TENTH = Decimal("0.1")


def one_place(value, *, sign: bool = False) -> str:
    """`value` to one decimal place, halves rounded up (away from zero), as Django's
    `floatformat:1` shows it without localisation: 0.25 is "0.3", never "-0.0"; "" for
    none. `sign` puts "+" before a number above zero, as a gap is written. The page, the
    PDF, the Word file and the plan's suggested action all use it, so they agree (Python's
    own "{:.1f}" rounds 0.25 to "0.2")."""
    if value is None or value == "":
        return ""
    rounded = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        _TENTH, ROUND_HALF_UP
    )
    if not rounded:
        rounded = abs(rounded)  # never "-0.0"
    return f"{rounded:+f}" if sign else f"{rounded:f}"
