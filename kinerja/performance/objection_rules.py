"""The objection deadline (PP 30/2019 Pasal 59) as a pure function of policy data, with no
database access.

The employee may object within ``objection_days`` calendar days (policy ``evaluation``, 14 by
default) of the final rating, counted in the instansi's local time: the day the evaluation was
finalised is day 0, the deadline's last day is day ``objection_days``, open until its local
midnight. A year's ratings keep the version of the policy in force on the year's first day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .policy import policy_on


def objection_days(year: int) -> int:
    """The days an employee has to object to a final rating of ``year``."""
    days = policy_on(dt.date(year, 1, 1))["evaluation"]["objection_days"]
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError("objection_days is a whole number of days, at least 1")
    return days


def objection_last_day(finalised_at: dt.datetime, days: int, zone: ZoneInfo) -> dt.date:
    """The last local day on which an objection to a rating finalised at ``finalised_at`` (an
    aware moment) may be filed: the local day of finalisation plus ``days``."""
    return finalised_at.astimezone(zone).date() + dt.timedelta(days=days)


def objection_closes(finalised_at: dt.datetime, days: int, zone: ZoneInfo) -> dt.datetime:
    """The first moment (aware, local) at which an objection is refused: the local midnight
    that ends the last day."""
    last = objection_last_day(finalised_at, days, zone)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


def may_still_object(
    finalised_at: dt.datetime, now: dt.datetime, days: int, zone: ZoneInfo
) -> bool:
    """Whether ``now`` (aware) lies within the objection window of a rating finalised at
    ``finalised_at``."""
    return now < objection_closes(finalised_at, days, zone)
