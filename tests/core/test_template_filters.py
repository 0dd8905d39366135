"""Template filters that stand in for Django's own must show exactly what Django's would."""

from fractions import Fraction

from django.template.defaultfilters import floatformat
from django.utils import translation

from selfassess.core import numbers
from selfassess.core.templatetags.selfassess import one_place


def results_numbers():
    """Every value a results page shows to one place: averages of up to 400 answers
    (0-2), their gaps from a 0-2 score, principle totals (0-10) and their gaps, rounded
    as the selectors round them, and some halves, negatives and whole numbers."""
    seen = set()
    for answered in range(1, 401):
        for total in range(0, 2 * answered + 1):
            mean = total / answered
            seen.add(mean)
            for score in (0, 1, 2):
                seen.add(round(mean - score, 2))
            seen.add(round(5 * mean, 1))
            seen.add(round(5 * mean - 7, 1))
    seen.update(float(Fraction(k, 20)) for k in range(-400, 401))
    seen.update([0, 1, 2, 10, -3, -0.0, 0.05, -0.05, 0.25, 1.25, 1234.56])
    return sorted(seen)


def test_one_place_shows_what_floatformat_shows():
    values = results_numbers()
    assert len(values) > 50_000
    with translation.override("en-gb"):
        different = [v for v in values if one_place(v) != floatformat(v, 1)]
    assert different == []


def test_one_place_with_a_sign_writes_a_gap():
    assert numbers.one_place(1.25, sign=True) == "+1.3"
    assert numbers.one_place(-1.75, sign=True) == "-1.8"
    assert numbers.one_place(-0.04, sign=True) == "+0.0"
    assert numbers.one_place(0.25) == one_place(0.25) == "0.3"


def test_one_place_of_nothing_is_empty():
    assert one_place(None) == floatformat(None, 1) == ""
    assert one_place(-0.04) == "0.0"
    assert one_place(-0.05) == "-0.1"
    assert one_place(1.25) == "1.3"
