"""Two laptops at two doors: each check-in screen shows the other's check-ins after its
next read, without moving what the person at that door typed or highlighted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QWidget

from roundtable_app.core.model import Response
from roundtable_app.services import attendance, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import open_database
from roundtable_app.ui.attendance import CheckInWindow, checkin_live, open_check_in
from roundtable_app.ui.context import AppContext

START = dt.datetime(2030, 3, 5, 10, 0, tzinfo=dt.UTC)
LATE = START + dt.timedelta(minutes=25)


@pytest.fixture(autouse=True)
def threads_done() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def doors(qtbot, db, make_person, isolated_settings):  # type: ignore[no-untyped-def]
    """Two screens on one roundtable, each with its own connection (two laptops)."""
    people = [
        make_person(db, full_name=name)
        for name in ("Amina Yusuf", "Zoë Abara", "Ben Yusufzai", "Mei Lin")
    ]
    data = roundtables.RoundtableData(
        title="Two doors", starts_at=START, ends_at=START + dt.timedelta(hours=3)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.response = Response.ACCEPTED.value
    other = open_database(db.engine.url.render_as_string(hide_password=False), migrate=False)
    hosts, screens = [], []
    for database, at in ((db, LATE), (other, LATE + dt.timedelta(minutes=1))):
        ctx = AppContext(database, isolated_settings)
        host = QWidget()
        qtbot.addWidget(host)
        screen = open_check_in(ctx, rid, host, clock=lambda at=at: at)
        assert screen is not None
        qtbot.waitExposed(screen)
        hosts.append((ctx, host))
        screens.append(screen)
    yield screens[0], screens[1], rid
    for screen in screens:
        screen.close()
    QThreadPool.globalInstance().waitForDone()
    other.close()


def _status(screen: CheckInWindow, name: str) -> str:
    row = next(r for r in screen.model.all_rows() if r.name == name)
    return screen.model.status_text(row)


def test_the_other_door_sees_a_check_in_after_its_read(qtbot, doors) -> None:  # type: ignore[no-untyped-def]
    front, side, _rid = doors
    side.watch.timer.stop()  # this test reads when it says so
    qtbot.keyClicks(side.search, "amina")  # the side door is about to check Amina in too
    resets: list[None] = []
    side.model.modelAboutToBeReset.connect(lambda: resets.append(None))

    qtbot.keyClicks(front.search, "amina")
    qtbot.keyClick(front.search, Qt.Key.Key_Return)
    assert _status(front, "Amina Yusuf") == "Late 25 min · 10:25"

    with qtbot.waitSignal(side.rows_refreshed):
        side.poll_now()
    assert _status(side, "Amina Yusuf") == "Late 25 min · 10:25"
    assert side.count_label.text() == "1 of 4 expected have arrived"
    # What the side door typed and highlighted stays, and the list was not rebuilt.
    assert side.search.text() == "amina"
    assert side.highlighted().name == "Amina Yusuf"  # type: ignore[union-attr]
    assert resets == []

    qtbot.keyClick(side.search, Qt.Key.Key_Return)  # both doors: one check-in, the first time
    assert side.banner.text() == "Amina Yusuf was already checked in, at 10:25."
    with front.ctx.db.reading() as s:
        rows = {r.name: r for r in attendance.attendance_rows(s, front.roundtable_id)}
    assert rows["Amina Yusuf"].checked_in_at == LATE


def test_each_screen_reads_the_list_every_two_seconds(qtbot, doors) -> None:  # type: ignore[no-untyped-def]
    front, side, _rid = doors
    assert side.watch.timer.interval() == checkin_live.POLL_MS == 2000
    assert side.watch.timer.isActive()
    qtbot.keyClicks(front.search, "zo")
    qtbot.keyClick(front.search, Qt.Key.Key_Return)
    # No one asks the side door to read: its own timer does, within a few seconds.
    qtbot.waitUntil(lambda: _status(side, "Zoë Abara").startswith("Late"), timeout=8000)
    assert side.count_label.text() == "1 of 4 expected have arrived"


def test_a_read_started_before_a_check_in_here_is_not_shown(qtbot, doors) -> None:  # type: ignore[no-untyped-def]
    front, _side, _rid = doors
    front.watch.timer.stop()
    shown: list[str] = []
    front.watch.door_read.connect(
        lambda door: shown.append(next(r for r in door.rows if r.name == "Mei Lin").attendance)
    )
    front.poll_now()  # reads Mei as not arrived, on a worker thread...
    qtbot.keyClicks(front.search, "mei")
    qtbot.keyClick(front.search, Qt.Key.Key_Return)  # ...while she is checked in here
    qtbot.waitUntil(lambda: bool(shown) and not front.watch.reading)
    assert shown == ["attended"]  # the stale read was dropped and read again
    assert _status(front, "Mei Lin") == "Late 25 min · 10:25"
