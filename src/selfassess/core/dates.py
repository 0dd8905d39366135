"""Date arithmetic and wording that every app shares."""

import datetime

from django.utils import dateformat, timezone


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, `months` earlier (the last day if that month is
    shorter: 31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def long_date(day: datetime.date) -> str:
    """A date as the pages write it: 30 September 2024 (Django's `date:"j F Y"`)."""
    return dateformat.format(day, "j F Y")


def short_date(day: datetime.date) -> str:
    """A date in a sentence where space is short: 30 Sep 2024."""
    return dateformat.format(day, "j M Y")


def day_month(day: datetime.date) -> str:
    """The first date of a range in the same year: 30 Sep."""
    return dateformat.format(day, "j M")


def month_year(day: datetime.date) -> str:
    """A date on a chart's axis: Sep 2024."""
    return dateformat.format(day, "M Y")


def time_of_day(moment: datetime.datetime) -> str:
    """A time as GOV.UK writes it, in the site's time zone: 9:05am, 3:42pm, 12pm."""
    local = timezone.localtime(moment)
    minutes = "" if local.minute == 0 else f":{local.minute:02d}"
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"
