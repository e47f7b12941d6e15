"""The statistics against the hand-computed history of conftest.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.services import directory, statistics
from roundtable_app.services.statistics import Counts, Scope


def figures(fx, scope: Scope | None = None) -> statistics.Figures:
    with fx.db.reading() as s:
        history = statistics.load_history(s, now=fx.now)
    return statistics.compute(history, scope or Scope())


def sector(f: statistics.Figures, name: str) -> Counts:
    return next(s.counts for s in f.by_sector if s.sector == name)


def test_all_time_totals(history_db) -> None:
    f = figures(history_db)
    assert [r.title for r in f.roundtables] == [f"Roundtable {n}" for n in (1, 2, 3, 4)]
    assert f.unrecorded == 1  # roundtable 4: held, nothing recorded
    assert f.totals == Counts(
        invited=17,
        accepted=13,
        expected=12,
        came=8,
        no_shows=2,
        apologies=2,
        attended=9,
        walk_ins=1,
        lived_invited=5,
        lived_attended=3,
    )
    assert f.totals.turnout == pytest.approx(8 / 12)
    assert f.totals.no_show_rate == f.totals.apology_rate == pytest.approx(2 / 12)
    assert f.label == "All roundtables · all time"


def test_by_sector(history_db) -> None:
    f = figures(history_db)
    assert sector(f, "Academic research") == Counts(7, 7, 6, 4, 1, 1, 4, 0, 0, 0)
    assert sector(f, "Civil society") == Counts(3, 3, 2, 2, 0, 0, 3, 1, 3, 2)
    assert sector(f, "Government") == Counts(2, 1, 1, 1, 0, 0, 1, 0, 0, 0)
    assert sector(f, "Lived experience") == Counts(2, 1, 2, 1, 0, 1, 1, 0, 2, 1)
    assert sector(f, "Business") == Counts(3, 1, 1, 0, 1, 0, 0, 0, 0, 0)
    assert sector(f, "Funder") == Counts()  # in the directory, never invited
    shares = {s.sector: s.share for s in f.by_sector}
    assert shares["Academic research"] == pytest.approx(4 / 9)
    assert shares["Business"] == 0
    assert "No sector" not in shares  # nobody without a sector: no empty row


def test_new_connections_per_roundtable_and_cumulatively(history_db) -> None:
    f = figures(history_db)
    assert [r.table_pairs for r in f.roundtables] == [1, 4, 1, 0]
    assert [r.new_connections for r in f.roundtables] == [1, 3, 1, 0]
    assert [r.cumulative for r in f.roundtables] == [1, 4, 5, 5]
    assert (f.new_connections, f.table_pairs) == (5, 6)
    assert f.bucket_kind == "month"
    assert [(b.label, b.roundtables, b.new_connections, b.cumulative) for b in f.buckets] == [
        ("Feb 2026", 1, 1, 1),
        ("Mar 2026", 1, 3, 4),
        ("Apr 2026", 0, 0, 4),
        ("May 2026", 1, 1, 5),
        ("Jun 2026", 1, 0, 5),
    ]


def test_a_connection_made_before_the_period_is_not_new_in_it(history_db) -> None:
    """Roundtable 2 alone: Ann and Cat met at roundtable 1, so 3 of its 4 pairs are new."""
    f = figures(history_db, Scope(roundtable_id=history_db.rts[2]))
    (rt,) = f.roundtables
    assert (rt.table_pairs, rt.new_connections, rt.cumulative) == (4, 3, 3)
    assert f.single and f.label == "Roundtable 2 · 15 Mar 2026"


def test_a_series_and_a_period(history_db) -> None:
    series = figures(history_db, Scope(series_id=history_db.series_id))
    assert [r.title for r in series.roundtables] == ["Roundtable 1", "Roundtable 2"]
    assert (series.totals.invited, series.totals.attended, series.new_connections) == (11, 7, 4)
    assert series.label.startswith("Supply chains · all time")
    period = figures(history_db, Scope(start=dt.date(2026, 3, 1), end=dt.date(2026, 5, 31)))
    assert [r.title for r in period.roundtables] == ["Roundtable 2", "Roundtable 3"]
    assert period.totals.expected == 8 and period.totals.came == 6
    both = figures(history_db, Scope(series_id=history_db.series_id, start=dt.date(2026, 3, 1)))
    assert [r.title for r in both.roundtables] == ["Roundtable 2"]
    empty = figures(history_db, Scope(start=dt.date(2027, 1, 1)))
    assert empty.roundtables == () and empty.totals == Counts() and empty.buckets == ()
    assert empty.totals.turnout is None


def test_reach(history_db) -> None:
    f = figures(history_db)
    reach = f.reach
    assert (reach.people_invited, reach.people_reached, reach.organisations) == (6, 6, 2)
    # Fay: asked to roundtables 1, 2 and 3, all with attendance recorded; never came.
    assert reach.never_came == ((history_db.people["Fay"], 3, dt.date(2026, 5, 20)),)
    in_series = figures(history_db, Scope(series_id=history_db.series_id)).reach
    assert in_series.never_came == ()  # twice is not "several times"


def test_people_not_invited_for_twelve_months(history_db) -> None:
    fx = history_db
    later = dt.datetime(2027, 7, 1, tzinfo=dt.UTC)
    with fx.db.reading() as s:
        drifted = statistics.drifted(s, now=later)
        by_interest = statistics.drifted(s, now=later, interest="forced LABOUR")
        with_never = statistics.drifted(s, now=later, interest="Forced labour", never_invited=True)
        assert "Forced labour" in statistics.interests(s)
    names = [d.person.name for d in drifted]
    # Ben is asked to roundtable 5 (2030); Gus may not be contacted; Hal was never invited.
    assert names == ["Eve Ezra", "Dan Dale", "Fay Fox", "Ann Archer", "Cat Cole"]
    assert drifted[3].last_invited == dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    assert drifted[3].invitations == 4 and drifted[3].person.organisation == "Uni North"
    assert [d.person.name for d in by_interest] == ["Dan Dale", "Ann Archer"]
    assert [d.person.name for d in with_never] == ["Hal Hume", "Dan Dale", "Ann Archer"]
    assert with_never[0].last_invited is None
    with fx.db.reading() as s:
        assert statistics.drifted(s, now=fx.now) == []  # everyone invited within the year


def test_statistics_survive_erasure(history_db) -> None:
    """Erasing Cat keeps every count; she can no longer be known to have met anyone."""
    fx = history_db
    before = figures(fx)
    with fx.db.transaction() as s:
        directory.delete_people(s, [fx.people["Cat"]])
    after = figures(fx)
    assert after.totals == before.totals
    assert [s.counts for s in after.by_sector] == [s.counts for s in before.by_sector]
    assert [r.new_connections for r in after.roundtables] == [0, 2, 1, 0]
    assert after.reach.people_reached == 5


def test_people_briefs_name_the_people_behind_the_counts(history_db) -> None:
    fx = history_db
    with fx.db.reading() as s:
        briefs = statistics.people_briefs(s, [fx.people["Fay"], 999_999])
    assert list(briefs) == [fx.people["Fay"]]
    fay = briefs[fx.people["Fay"]]
    assert (fay.name, fay.organisation, fay.sector) == ("Fay Fox", "Acme Ltd", "Business")
