"""The windows of a check-in and a read-only login, connected to the real server as that member.

A check-in login gets today's check-in and nothing else (no walk-ins: the
database does not let it add anyone); a read-only login gets the statistics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from sqlalchemy import make_url

from roundtable_app.core.model import Attendance, Response
from roundtable_app.core.team import TeamRole
from roundtable_app.services import roundtables, team
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import Database, open_database
from roundtable_app.ui.attendance import CheckInWindow
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.team import CheckInStation, ReadOnlyWindow

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def threads_done() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def server(postgres_url, role_prefix, make_person):  # type: ignore[no-untyped-def]
    """Today's roundtable (Amina, Ben) on the server, the roles, and a member of each."""
    owner = open_database(postgres_url)
    people = [
        make_person(owner, full_name="Amina Yusuf", lived_experience=True),
        make_person(owner, full_name="Ben Okafor"),
    ]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    past = roundtables.RoundtableData(
        title="Last month",
        starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=30, hours=-2),
    )
    with owner.transaction() as s:
        roundtables.add_invitees(s, roundtables.create_roundtable(s, past).id, people)
    start = now + dt.timedelta(hours=1)
    data = roundtables.RoundtableData(
        title="Survivor-led services", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    with owner.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.response = Response.ACCEPTED.value
    team.set_up(postgres_url, role_prefix)
    urls = {}
    for role in (TeamRole.CHECKIN, TeamRole.READONLY):
        login = f"{role_prefix}_{role.value}_m"
        team.add_member(postgres_url, login, role, "pw", role_prefix)
        urls[role] = (
            make_url(postgres_url).set(username=login, password="pw").render_as_string(False)
        )
    yield owner, rid, urls
    owner.close()


def _member(url: str) -> Database:
    return open_database(url, create=False)


def test_a_check_in_login_opens_on_todays_check_in_and_marks_arrivals_only(  # type: ignore[no-untyped-def]
    qtbot, server, isolated_settings
) -> None:
    owner, rid, urls = server
    db = _member(urls[TeamRole.CHECKIN])
    try:
        assert team.current_role(db) == TeamRole.CHECKIN
        station = CheckInStation(AppContext(db, isolated_settings))
        qtbot.addWidget(station)
        station.start()
        assert "Check-in" in station.windowTitle()
        screens = station.findChildren(CheckInWindow)
        assert len(screens) == 1  # the only open check-in opened at once
        screen = screens[0]
        qtbot.waitExposed(screen)
        assert screen.roundtable_id == rid
        assert not screen.walk_in_button.isVisible()
        assert "walk-in" not in screen.keys_label.text()

        qtbot.keyClicks(screen.search, "Ben")
        qtbot.keyClick(screen.search, Qt.Key.Key_Return)
        with owner.reading() as s:
            ben = s.query(Invitation).filter_by(roundtable_id=rid).all()
            arrived = {i.person.full_name: i.attendance for i in ben}
        assert arrived["Ben Okafor"] == Attendance.ATTENDED.value
        assert arrived["Amina Yusuf"] == Attendance.UNKNOWN.value

        qtbot.keyClicks(screen.search, "Mallory")
        qtbot.keyClick(screen.search, Qt.Key.Key_Return)  # no walk-in dialog: staff add them
        assert "added by staff" in screen.banner.text()
        screen.close()
        station.close()
    finally:
        db.close()


def test_a_read_only_login_gets_the_statistics_only(qtbot, server, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    _owner, _rid, urls = server
    db = _member(urls[TeamRole.READONLY])
    try:
        assert team.current_role(db) == TeamRole.READONLY
        window = ReadOnlyWindow(AppContext(db, isolated_settings))
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.page.figures_shown, timeout=10_000):
            window.show()
        assert "read-only" in window.windowTitle()
        page = window.page
        assert page.cards["lived"].value.text() == "–"  # never a misleading 0
        assert "lived experience" not in page.rates.text()
        lived = [c.header for c in page.roundtable_model.COLUMNS].index("Lived exp.")
        assert page.roundtable_table.isColumnHidden(lived)
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus == ["&File", "&View"]  # nothing that edits
        window.close()
    finally:
        db.close()


def test_a_read_only_login_previews_and_saves_a_final_summary(  # type: ignore[no-untyped-def]
    qtbot, server, isolated_settings, with_modal, tmp_path
) -> None:
    """The Summaries tab: the final summaries only, chosen with the mouse, previewed as PDF
    and saved as Word from the preview, as staff made them final (never the draft)."""
    import docx
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.services import discussion
    from roundtable_app.ui.common import PdfPreviewDialog
    from tests.ui.roundtables.printing import in_file_dialog

    owner, rid, urls = server
    with owner.reading() as s:
        last_month = next(r.id for r in roundtables.list_roundtables(s) if r.title == "Last month")
    with owner.transaction() as s:
        discussion.add_lines(s, last_month, NoteKind.NEED, "Who funds the shelters?")
        discussion.finalise(s, last_month, 1)
    with owner.transaction() as s:
        discussion.reopen(s, last_month, 1)
        discussion.add_lines(s, last_month, NoteKind.POINT, "Not agreed yet")
        discussion.add_lines(s, rid, NoteKind.POINT, "A draft of today")  # never final
    db = _member(urls[TeamRole.READONLY])
    try:
        window = ReadOnlyWindow(AppContext(db, isolated_settings))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        bar = window.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
        panel = window.summaries
        assert window.tabs.currentWidget() is panel
        assert "Summaries" in window.windowTitle()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
        model, table = panel.model, panel.table
        row = [model.index(0, c).data() for c in range(model.columnCount())]
        assert row[0] == "Last month" and row[2] == "Final, revision 1"
        table.clearSelection()
        assert not panel.preview_button.isEnabled()
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=table.visualRect(model.index(0, 0)).center(),
        )
        assert panel.preview_button.isEnabled()
        seen: dict[str, str] = {}

        def save(dialog: QFileDialog) -> None:
            dialog.setDirectory(str(tmp_path))
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            name.selectAll()
            qtbot.keyClicks(name, "Last month.docx")
            qtbot.keyClick(name, Qt.Key.Key_Return)

        def in_preview(dialog) -> None:  # type: ignore[no-untyped-def]
            assert isinstance(dialog, PdfPreviewDialog)
            seen["title"] = dialog.windowTitle()
            seen["text"] = " ".join(
                " ".join(p.extract_text().split()) for p in PdfReader(dialog.path).pages
            )
            in_file_dialog(save)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

        with_modal(
            lambda: qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton),
            in_preview,
        )
        assert seen["title"] == "Summary: Last month"
        assert "Who funds the shelters?" in seen["text"]
        assert "Not agreed yet" not in seen["text"] and "Draft" not in seen["text"]
        saved = docx.Document(str(tmp_path / "Last month.docx"))
        words = " ".join(p.text for p in saved.paragraphs)
        assert "Who funds the shelters?" in words and "Not agreed yet" not in words
        window.close()
    finally:
        db.close()


def test_the_summaries_tab_says_when_none_are_final(qtbot, server, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    _owner, _rid, urls = server
    db = _member(urls[TeamRole.READONLY])
    try:
        window = ReadOnlyWindow(AppContext(db, isolated_settings))
        qtbot.addWidget(window)
        window.show()
        view_menu = window.menuBar().actions()[1].menu()
        summaries = next(a for a in view_menu.actions() if a.text() == "S&ummaries")
        assert summaries.shortcut().toString() == "Ctrl+2"
        summaries.trigger()
        panel = window.summaries
        assert window.tabs.currentWidget() is panel
        assert panel.stack.currentWidget() is panel.empty
        assert panel.empty.title.text() == "No final summaries yet"
        assert not window.preview_action.isEnabled()
        window.close()
    finally:
        db.close()
