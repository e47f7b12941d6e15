"""The check-in screen, driven like a person at the door: keyboard, mouse, undo, walk-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QToolTip, QWidget

from roundtable_app.core.model import Attendance, Response
from roundtable_app.services import attendance, directory, grouping, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.ui.attendance import CheckInWindow, checkin_window, open_check_in
from roundtable_app.ui.attendance import checkin_model as cm
from roundtable_app.ui.attendance.checkin_delegate import needs_mark_centre

#: 10:00 in London (GMT in March).
START = dt.datetime(2030, 3, 5, 10, 0, tzinfo=dt.UTC)
LATE = START + dt.timedelta(minutes=25)


@pytest.fixture(autouse=True)
def no_polling(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Reads happen when a test asks (poll_now); none is left running afterwards."""
    monkeypatch.setattr(checkin_window, "POLL_MS", 0)
    yield
    QThreadPool.globalInstance().waitForDone()
    _HOSTS.clear()


@pytest.fixture
def door(ctx, make_person):  # type: ignore[no-untyped-def]
    """A roundtable on START's day, seated: Amina (table 2) and Zoë (needs noted) accepted,
    Mei lived experience and accepted, Ben declined; Olena is in the directory only."""
    db = ctx.db
    people = {
        "amina": make_person(db, full_name="Amina Yusuf", organisation="Hope for Justice"),
        "zoe": make_person(db, full_name="Zoë Abara", dietary_needs="halal, no nuts"),
        "mei": make_person(db, full_name="Mei Lin", lived_experience=True),
        "ben": make_person(db, full_name="Ben Yusufzai", organisation="Home Office"),
    }
    make_person(db, full_name="Olena Коваленко", organisation="Unseen", email="olena@unseen.org")
    data = roundtables.RoundtableData(
        title="Survivor support",
        venue="Wilberforce Room",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, list(people.values()))
        pool = grouping.pool_from_people(s, people.values())
        plan = grouping.plan_from_tables(
            pool, [[people["zoe"], people["mei"]], [people["amina"], people["ben"]]]
        )
        grouping.save_plan(s, rid, plan)
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            declined = inv.person_id == people["ben"]
            inv.response = (Response.DECLINED if declined else Response.ACCEPTED).value
    return rid


_HOSTS: list[QWidget] = []


def _open(qtbot, ctx, rid: int, at: dt.datetime = LATE) -> CheckInWindow:  # type: ignore[no-untyped-def]
    parent = QWidget()  # the page that opens it (kept: qtbot holds widgets weakly)
    qtbot.addWidget(parent)
    _HOSTS.append(parent)
    window = open_check_in(ctx, rid, parent, clock=lambda: at)
    assert window is not None
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)  # its shortcuts work once it is the active window
    return window


def _shown(window: CheckInWindow) -> list[str]:
    return [r.name for r in cm.visible_rows(window.model)]


def _stored(ctx, rid: int) -> dict[str, attendance.AttendanceRow]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as s:
        return {r.name: r for r in attendance.attendance_rows(s, rid)}


def _status(window: CheckInWindow, name: str) -> str:
    row = next(r for r in window.model.all_rows() if r.name == name)
    return window.model.status_text(row)


def test_type_a_few_letters_enter_and_the_field_clears_for_the_next(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    assert window.count_label.text() == "0 of 3 expected have arrived"
    assert window.highlighted() is None  # nothing typed: a stray Enter checks nobody in
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert not any(r.arrived for r in _stored(ctx, door).values())

    qtbot.keyClicks(window.search, "am yu")
    assert _shown(window) == ["Amina Yusuf"]
    assert window.highlighted().name == "Amina Yusuf"  # type: ignore[union-attr]
    qtbot.keyClick(window.search, Qt.Key.Key_Return)

    assert window.search.text() == ""
    assert window.banner.text() == "✓  Amina Yusuf is checked in  ·  Table 2  ·  late by 25 min"
    assert window.count_label.text() == "1 of 3 expected have arrived"
    stored = _stored(ctx, door)["Amina Yusuf"]
    assert stored.attendance == Attendance.ATTENDED and stored.checked_in_at == LATE
    # Expected people still to come first, the declined after, arrivals last.
    assert _shown(window) == ["Zoë Abara", "Mei Lin", "Ben Yusufzai", "Amina Yusuf"]

    # Up and Down move the highlight from the field; Enter takes the highlighted one.
    qtbot.keyClicks(window.search, "yu")
    assert _shown(window) == ["Ben Yusufzai", "Amina Yusuf"]
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.highlighted().name == "Amina Yusuf"  # type: ignore[union-attr]
    qtbot.keyClick(window.search, Qt.Key.Key_Up)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert _stored(ctx, door)["Ben Yusufzai"].arrived  # declined, yet came
    assert window.others_label.text() == "plus 1 who had not said they would come"

    qtbot.keyClicks(window.search, "amina")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # twice is once
    assert window.banner.text() == "Amina Yusuf was already checked in, at 10:25."
    assert window.count_label.text() == "1 of 3 expected have arrived"


def test_the_mouse_checks_in_too(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    view = window.view
    zoe = window.model.index(_shown(window).index("Zoë Abara"))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(zoe).center())
    assert window.highlighted().name == "Zoë Abara"  # type: ignore[union-attr]
    assert window.focusWidget() is window.search  # typing goes on in the field
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    assert _stored(ctx, door)["Zoë Abara"].arrived
    mei = view.visualRect(window.model.index(_shown(window).index("Mei Lin"))).center()
    # A double-click: the first press and release, then the double-click.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=mei)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=mei)
    assert _stored(ctx, door)["Mei Lin"].arrived
    assert window.count_label.text() == "2 of 3 expected have arrived"


def test_undo_the_last_check_in_with_ctrl_z_or_the_button(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    assert window.undo_button.isHidden()
    for typed in ("zoe", "amina"):
        qtbot.keyClicks(window.search, typed)
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.undo_button.isVisible()
    assert window.undo_button.text() == "Undo: checked in Amina Yusuf"

    qtbot.keyClick(window.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored = _stored(ctx, door)
    assert not stored["Amina Yusuf"].arrived and stored["Amina Yusuf"].checked_in_at is None
    assert stored["Zoë Abara"].arrived
    assert window.banner.text() == "Undone: Amina Yusuf is no longer checked in"
    assert window.count_label.text() == "1 of 3 expected have arrived"
    assert window.undo_button.text() == "Undo: checked in Zoë Abara"

    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert not _stored(ctx, door)["Zoë Abara"].arrived
    assert window.undo_button.isHidden()
    assert window.count_label.text() == "0 of 3 expected have arrived"


def test_undo_leaves_a_colleagues_later_change_alone(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    qtbot.keyClicks(window.search, "amina")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    amina = _stored(ctx, door)["Amina Yusuf"]
    with ctx.db.transaction() as s:  # the attendance list, elsewhere: no-show after all
        inv = s.get(Invitation, amina.invitation_id)
        inv.attendance, inv.checked_in_at = Attendance.NO_SHOW.value, None
    qtbot.keyClick(window.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(ctx, door)["Amina Yusuf"].attendance == Attendance.NO_SHOW
    assert "attendance was changed meanwhile" in window.banner.text()
    assert _status(window, "Amina Yusuf") == "No-show"  # the screen shows what is true


def test_arrivals_after_the_start_are_flagged_late(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    early = _open(qtbot, ctx, door, at=START - dt.timedelta(minutes=20))
    qtbot.keyClicks(early.search, "zo")
    qtbot.keyClick(early.search, Qt.Key.Key_Return)
    assert early.banner.text() == "✓  Zoë Abara is checked in  ·  Table 1"
    assert _status(early, "Zoë Abara") == "Arrived 09:40"
    early.close()
    late = _open(qtbot, ctx, door, at=START + dt.timedelta(minutes=75))
    qtbot.keyClicks(late.search, "mei")
    qtbot.keyClick(late.search, Qt.Key.Key_Return)
    assert _status(late, "Mei Lin") == "Late 1 h 15 min · 11:15"
    index = late.model.index(_shown(late).index("Mei Lin"))
    assert index.data(cm.STATE_ROLE) == cm.State.LATE
    assert _status(late, "Zoë Abara") == "Arrived 09:40"


def test_a_walk_in_from_the_directory_and_someone_new(qtbot, ctx, door, with_modal) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    qtbot.keyClicks(window.search, "olena")
    assert window.stack.currentWidget() is window.empty
    assert window.empty.title.text() == "Nobody on the list matches “olena”"

    def pick_from_directory(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: dialog.candidates is not None)  # the directory is read
        assert dialog.search.text() == "olena"
        assert dialog.matches.item(0).text() == "Olena Коваленко  ·  Unseen"  # no e-mail shown
        dialog.table_combo.setCurrentIndex(dialog.table_combo.findData(2))
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    with_modal(lambda: qtbot.keyClick(window.search, Qt.Key.Key_Return), pick_from_directory)
    olena = _stored(ctx, door)["Olena Коваленко"]
    assert olena.walk_in and olena.arrived and olena.table == 2 and olena.checked_in_at == LATE
    assert window.banner.text().startswith("✓  Olena Коваленко is checked in  ·  Table 2")
    assert window.others_label.text() == "plus 1 walk-in"
    assert window.search.text() == ""

    def someone_new(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: dialog.candidates is not None)
        assert dialog.matches.currentItem().text() == "＋  Someone new: “Priya Natarajan”…"
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # on to the short form
        assert dialog.name_edit.text() == "Priya Natarajan"
        qtbot.keyClicks(dialog.organisation_edit, "Anti-Slavery Partnership")
        qtbot.keyClick(dialog.organisation_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(window.isActiveWindow)  # the door screen again, once the dialog closed
    qtbot.keyClicks(window.search, "Priya Natarajan")

    def ctrl_n() -> None:
        qtbot.keyClick(window.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    with_modal(ctrl_n, someone_new)
    priya = _stored(ctx, door)["Priya Natarajan"]
    assert priya.walk_in and priya.organisation == "Anti-Slavery Partnership"
    assert window.others_label.text() == "plus 2 walk-ins"  # one Enter, one walk-in

    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Priya Natarajan" not in _stored(ctx, door)
    with ctx.db.reading() as s:  # new at the door, so out of the directory again
        assert "Priya Natarajan" not in {p.full_name for p in directory.list_rows(s)}
    assert window.banner.text() == (
        "Undone: Priya Natarajan is off the list and out of the directory again"
    )
    assert window.others_label.text() == "plus 1 walk-in"


def test_a_new_walk_in_with_a_bad_address_is_told_what_to_fix(qtbot, ctx, door, with_modal) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    seen: list[str] = []

    def bad_address(dialog: QDialog) -> None:
        dialog.show_new()
        qtbot.keyClicks(dialog.name_edit, "Sam Okafor")
        qtbot.keyClicks(dialog.email_edit, "sam@")
        qtbot.keyClick(dialog.email_edit, Qt.Key.Key_Return)
        seen.append(dialog.error.text())
        assert dialog.isVisible()  # what was typed is kept to be fixed

    with_modal(
        lambda: qtbot.mouseClick(window.walk_in_button, Qt.MouseButton.LeftButton), bad_address
    )
    assert seen == [
        "'sam@' is not an e-mail address; write it as name@example.org or leave it empty."
    ]
    assert "Sam Okafor" not in _stored(ctx, door)


def test_staff_see_a_discreet_mark_never_the_need_nor_lived_experience(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)]
    for n in range(window.model.rowCount()):
        index = window.model.index(n)
        for role in (
            Qt.ItemDataRole.DisplayRole,
            cm.ORGANISATION_ROLE,
            cm.TABLE_ROLE,
            cm.STATUS_ROLE,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            texts.append(str(index.data(role) or ""))
    screen = "\n".join(texts).casefold()
    assert "lived" not in screen and "halal" not in screen and "nuts" not in screen
    zoe = window.model.index(_shown(window).index("Zoë Abara"))
    assert zoe.data(cm.NEEDS_ROLE) and not window.model.index(
        _shown(window).index("Amina Yusuf")
    ).data(cm.NEEDS_ROLE)
    # Hovering the mark explains it, and names no need.
    mark = needs_mark_centre(window.view, zoe)
    viewport = window.view.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, mark, viewport.mapToGlobal(mark))
    )
    assert QToolTip.text() == cm.NEEDS_TOOLTIP
    assert "arrangements are noted" in QToolTip.text() and "not on this screen" in QToolTip.text()
    assert "halal" not in QToolTip.text()


def test_escape_clears_what_was_typed_then_leaves_without_asking(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    qtbot.keyClicks(window.search, "am")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and window.isVisible()
    with qtbot.waitSignal(window.destroyed):
        qtbot.keyClick(window.search, Qt.Key.Key_Escape)


def test_f11_makes_it_full_screen_and_back(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, ctx, door)
    qtbot.keyClick(window.search, Qt.Key.Key_F11)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.full_screen_button.text() == "Leave full screen (F11)"
    qtbot.keyClick(window.search, Qt.Key.Key_F11)
    assert not window.windowState() & Qt.WindowState.WindowFullScreen


def test_the_screen_opens_on_the_day_only(qtbot, ctx, door, no_message_boxes) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    assert open_check_in(ctx, door, parent, clock=lambda: START - dt.timedelta(days=2)) is None
    assert no_message_boxes == [
        (
            "Cannot open the check-in",
            "“Survivor support” is on Tue 5 Mar 2030: the check-in opens on the day.",
        )
    ]
    first = open_check_in(ctx, door, parent, clock=lambda: LATE)
    assert first is not None
    assert open_check_in(ctx, door, parent, clock=lambda: LATE) is first  # one per roundtable
    first.close()


def test_check_in_from_the_roundtables_page(qtbot, window, make_person, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    person = make_person(sqlite_db, full_name="Amina Yusuf")
    now = dt.datetime.now(dt.UTC)
    with sqlite_db.transaction() as s:
        today = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="At the door today",
                starts_at=now - dt.timedelta(minutes=10),
                ends_at=now + dt.timedelta(hours=2),
            ),
        ).id
        roundtables.add_invitees(s, today, [person])
        later = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Next month",
                starts_at=now + dt.timedelta(days=30),
                ends_at=now + dt.timedelta(days=30, hours=2),
            ),
        ).id
    win = window()
    win.show_page("roundtables")
    page = win.pages["roundtables"]
    page.set_view(roundtables.View.ALL)
    page.select_id(later)
    assert not page.day.check_in_button.isEnabled()
    assert "the check-in opens on the day" in page.day.check_in_button.toolTip()
    page.select_id(today)
    assert page.day.check_in_button.isEnabled()
    qtbot.mouseClick(page.day.check_in_button, Qt.MouseButton.LeftButton)
    screen = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CheckInWindow))
    qtbot.waitExposed(screen)
    qtbot.waitUntil(screen.isActiveWindow)
    assert screen.windowTitle() == "Check-in — At the door today"
    assert screen.focusWidget() is screen.search
    qtbot.keyClicks(screen.search, "ami")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    with qtbot.waitSignal(screen.destroyed):
        qtbot.keyClick(screen.search, Qt.Key.Key_Escape)
    with sqlite_db.reading() as s:
        assert attendance.attendance_rows(s, today)[0].arrived


def test_a_line_drawn_ahead_shows_the_person_as_they_are_now(qtbot, ctx, door) -> None:  # type: ignore[no-untyped-def]
    """Lines are drawn once and kept: a check-in must still show on the person's line."""
    from roundtable_app.ui.attendance.checkin_delegate import CheckInDelegate

    window = _open(qtbot, ctx, door)
    window.delegate.warm(window.view)
    qtbot.waitUntil(lambda: not window.delegate.busy())

    def line() -> bytes:
        qtbot.keyClicks(window.search, "zo")
        rect = window.view.visualRect(window.model.index(0))
        image = window.view.viewport().grab(rect).toImage()
        return bytes(image.constBits())

    waiting = line()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    arrived = line()
    assert arrived != waiting
    window.view.setItemDelegate(CheckInDelegate(window.view))  # nothing kept: drawn afresh
    window.search.clear()
    assert line() == arrived


def test_the_walk_in_dialog_is_large_under_the_apps_style_sheet(
    qtbot, ctx, door, with_modal
) -> None:  # type: ignore[no-untyped-def]
    """In the app (its style sheet applied) the dialog's words are as large as the screen's."""
    from roundtable_app.ui.app import STYLE

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    try:
        window = _open(qtbot, ctx, door)
        sizes: dict[str, float] = {}

        def look(dialog: QDialog) -> None:
            qtbot.waitUntil(lambda: dialog.candidates is not None)
            for widget in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton):
                if widget.isVisible() and widget.text():
                    sizes[widget.text()] = widget.font().pointSizeF()
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

        with_modal(
            lambda: qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier), look
        )
    finally:
        app.setStyleSheet("")
    assert sizes and all(size >= 12 for size in sizes.values()), sizes
