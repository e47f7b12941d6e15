"""VTIMEZONE components in the classic RRULE form, derived from the IANA database.

Why not ``icalendar.Timezone.from_tzid()`` / ``Calendar.add_missing_timezones()``:
icalendar 7 writes a 1970–2038 table of RDATEs, and Outlook is reported to misread
that form (an hour off, the zone shown as "West-Central Africa"); see
``shared/guides/calendar-invites.md`` §1 rule 9 and §3.1. Outlook also wants BYDAY
in the rule and a STANDARD sub-component in every VTIMEZONE.

So this module looks at the real transitions of the zone (``zoneinfo``) in the
years around the event and, when each year has the same two transitions on an
"n-th weekday of the month" rule, writes one STANDARD and one DAYLIGHT observance
with ``RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nDD``. A zone without daylight saving
near the event gets a single STANDARD observance. A zone whose rules cannot be
written that way near the event (it changed its rules that year, or follows a
rule such as "the Friday before the last Sunday") gets ``None``: the caller then
writes the times in UTC, which the guide allows (rule 8) and every client reads.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from roundtable_app.core.time_zones import time_zone

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class _Transition:
    at_utc: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name_to: str
    is_dst: bool

    @property
    def local_before(self) -> dt.datetime:
        """Wall time at the transition, on the clock as it was before (RFC 5545 DTSTART)."""
        return (self.at_utc + self.offset_from).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class _Rule:
    month: int
    byday: str  # e.g. "-1SU", "2SU"
    time: dt.time
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool


def _offset(zone: ZoneInfo, at: dt.datetime) -> dt.timedelta:
    return at.astimezone(zone).utcoffset() or dt.timedelta(0)


def _transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    """Every change of UTC offset in ``year`` (UTC), found to the minute."""
    found: list[_Transition] = []
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    # Offsets never change twice within 12 hours, so checking twice a day finds
    # every transition; a bisection then pins it to the minute.
    step = dt.timedelta(hours=12)
    prev_at, prev_off = start, _offset(zone, start)
    at = start + step
    while at.year == year or at == dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC):
        off = _offset(zone, at)
        if off != prev_off:
            lo, hi = prev_at, at
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    break
                if _offset(zone, mid) == prev_off:
                    lo = mid
                else:
                    hi = mid
            local = hi.astimezone(zone)
            found.append(
                _Transition(
                    at_utc=hi.replace(tzinfo=None),
                    offset_from=prev_off,
                    offset_to=off,
                    name_to=local.tzname() or "",
                    is_dst=bool(local.dst()),
                )
            )
        prev_at, prev_off = at, off
        at += step
    return found


def _bydays(day: dt.datetime) -> set[str]:
    """The "n-th weekday" rules that pick this date (e.g. {"4SU", "-1SU"})."""
    code = _DAY_CODES[day.weekday()]
    nth = (day.day - 1) // 7 + 1
    rules = {f"{nth}{code}"}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        rules.add(f"-1{code}")
    return rules


def _rules(zone: ZoneInfo, years: range) -> list[_Rule] | None:
    """The two yearly rules that reproduce every transition in ``years``, or None."""
    per_year = [_transitions(zone, y) for y in years]
    if any(len(t) != 2 for t in per_year):
        return None
    rules: list[_Rule] = []
    for index in range(2):
        group = [t[index] for t in per_year]
        first = group[0]
        candidates = set.intersection(*(_bydays(t.local_before) for t in group))
        same = all(
            (t.local_before.month, t.local_before.time(), t.offset_from, t.offset_to, t.is_dst)
            == (
                first.local_before.month,
                first.local_before.time(),
                first.offset_from,
                first.offset_to,
                first.is_dst,
            )
            for t in group
        )
        if not candidates or not same:
            return None
        # Prefer "last Sunday" over "4th Sunday": it is how the rules are written.
        byday = sorted(candidates, key=lambda r: (not r.startswith("-"), r))[0]
        rules.append(
            _Rule(
                month=first.local_before.month,
                byday=byday,
                time=first.local_before.time(),
                offset_from=first.offset_from,
                offset_to=first.offset_to,
                name=first.name_to,
                is_dst=first.is_dst,
            )
        )
    if rules[0].offset_to == rules[1].offset_to:
        return None
    # The observance with the larger offset is DAYLIGHT, whatever zoneinfo calls it:
    # Europe/Dublin has a "negative DST" in winter, and Windows clients expect
    # summer time to be the daylight observance.
    summer = max(rules, key=lambda r: r.offset_to)
    return [
        _Rule(r.month, r.byday, r.time, r.offset_from, r.offset_to, r.name, r is summer)
        for r in rules
    ]


def _first_occurrence(rule: _Rule, year: int) -> dt.datetime:
    """The date in ``year`` that the rule's RRULE picks (DTSTART must be an instance)."""
    nth, code = int(rule.byday[:-2]), rule.byday[-2:]
    weekday = _DAY_CODES.index(code)
    days = [
        d
        for d in range(1, calendar.monthrange(year, rule.month)[1] + 1)
        if dt.date(year, rule.month, d).weekday() == weekday
    ]
    day = days[nth - 1] if nth > 0 else days[nth]
    return dt.datetime.combine(dt.date(year, rule.month, day), rule.time)


@lru_cache(maxsize=256)
def vtimezone(tzid: str, year: int) -> Timezone | None:
    """A VTIMEZONE for ``tzid`` valid for events in ``year`` (± a year), or None.

    None means: this zone's rules cannot be written in the RRULE form around that
    year; write the times in UTC instead. Raises ``ValueError`` for an unknown zone.
    The result is cached and must not be modified by the caller (copy it first).
    """
    zone = time_zone(tzid)
    if zone is None:
        raise ValueError(f"'{tzid}' is not an IANA time zone")
    years = range(year - 1, year + 3)
    tz = Timezone()
    tz.add("tzid", tzid)
    if not any(_transitions(zone, y) for y in years):
        mid = dt.datetime(year, 7, 1, tzinfo=dt.UTC).astimezone(zone)
        offset = mid.utcoffset() or dt.timedelta(0)
        standard = TimezoneStandard()
        standard.add("dtstart", dt.datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", mid.tzname() or tzid)
        tz.add_component(standard)
        return tz
    rules = _rules(zone, years)
    if rules is None:
        return None
    # STANDARD first: Outlook for Mac reads it for the base offset.
    for rule in sorted(rules, key=lambda r: r.is_dst):
        component = TimezoneDaylight() if rule.is_dst else TimezoneStandard()
        component.add("dtstart", _first_occurrence(rule, years.start))
        component.add("tzoffsetfrom", rule.offset_from)
        component.add("tzoffsetto", rule.offset_to)
        component.add("tzname", rule.name)
        component.add("rrule", {"FREQ": "YEARLY", "BYMONTH": rule.month, "BYDAY": rule.byday})
        tz.add_component(component)
    return tz
