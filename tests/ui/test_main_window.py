"""The main window: title, navigation, status bar, remembered geometry, file drops."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from roundtable_app.ui import messages
from roundtable_app.ui.main_window import PAGES, MainWindow, describe_database


def test_title_navigation_and_status_bar(window, sqlite_db, make_person) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        make_person(sqlite_db)
    win = window()
    assert win.windowTitle() == "Roundtable"
    titles = [win.navigation.item(i).text() for i in range(win.navigation.count())]
    assert titles[0] == "People" and "Calendar" in titles
    assert len(PAGES) == win.navigation.count()
    path = str(Path(sqlite_db.engine.url.database).resolve())
    assert win.database_label.text() == f"Database: {path}"
    assert win.counts_label.text() == "3 people"
    assert [a.text() for a in win.menuBar().actions()] == ["&File", "&Edit", "&View", "&Help"]


def test_demo_title_and_database_label(qtbot, sqlite_db, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(sqlite_db, demo=True, settings=isolated_settings)
    qtbot.addWidget(win)
    assert win.windowTitle() == "Roundtable — Demo data"
    assert win.database_label.text().startswith("Demo data — changes are kept in ")


def test_postgres_label_hides_the_password(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from roundtable_app.storage.unit_of_work import Database

    engine = create_engine("postgresql+psycopg://staff:secret@db.example:5433/roundtable")
    text = describe_database(Database(engine), demo=False)
    assert text == "Database: PostgreSQL roundtable on db.example:5433"
    assert "secret" not in text


def test_geometry_is_restored(qtbot, sqlite_db, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(sqlite_db, settings=isolated_settings)
    qtbot.addWidget(first)
    assert (first.width(), first.height()) == (1280, 800)
    first.show()
    first.resize(1000, 520)
    first.close()
    second = MainWindow(sqlite_db, settings=isolated_settings)
    qtbot.addWidget(second)
    # The offscreen screen is 800×600 and Qt keeps a restored window on screen, so
    # the width comes back clamped; the height shows the saved geometry was used.
    assert second.height() == 520
    assert second.width() < 1280


def test_navigation_is_never_squeezed_below_its_labels(qtbot, sqlite_db, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(sqlite_db, settings=isolated_settings)
    qtbot.addWidget(window)
    nav = window.navigation
    widest = max(nav.fontMetrics().horizontalAdvance(spec.title) for spec in PAGES)
    assert nav.minimumWidth() > widest  # so "Roundtables" never shows as "Roundta…"


def test_keys_on_the_table(qtbot, monkeypatch, window, sqlite_db, make_person, with_modal) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Ada Lovelace")
    win = window()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    table = win.directory.table
    table.setFocus()
    win.directory.select_ids([win.directory.model.person_id(0)])
    titles: list[str] = []
    with_modal(
        lambda: qtbot.keyClick(table, Qt.Key.Key_Return),
        lambda dialog: titles.append(dialog.windowTitle()),
    )
    assert titles == ["Edit Ada Lovelace"]
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert win.directory.model.total_count == 0


_KEEP: list[QMimeData] = []  # an event only points at its data: keep the data alive


def _drop_event(path: Path, kind: type) -> QDropEvent:
    mime = QMimeData()
    _KEEP.append(mime)
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    if kind is QDragEnterEvent:
        return QDragEnterEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    return QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_dropping_a_spreadsheet_opens_the_import(
    monkeypatch, qtbot, sqlite_db, isolated_settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(sqlite_db, settings=isolated_settings)
    qtbot.addWidget(win)
    opened: list[str | None] = []
    monkeypatch.setattr(win, "import_people", lambda path=None: opened.append(path))
    sheet = tmp_path / "contacts.csv"
    sheet.write_text("Name,Email\n", encoding="utf-8")
    enter = _drop_event(sheet, QDragEnterEvent)
    win.dragEnterEvent(enter)
    assert enter.isAccepted()
    win.dropEvent(_drop_event(sheet, QDropEvent))
    assert opened == [str(sheet)]
    other = _drop_event(tmp_path / "notes.txt", QDragEnterEvent)
    win.dragEnterEvent(other)
    assert not other.isAccepted()


def test_import_dialog_refreshes_the_directory(
    qtbot, monkeypatch, window, sqlite_db, make_person, with_modal
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    make_person(sqlite_db, full_name="Imported Person")  # as if the import had added them

    def finish(dialog) -> None:  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(win.directory.rows_loaded, timeout=10_000):
            dialog.people_imported.emit(object())

    with_modal(win.import_people, finish)
    assert win.directory.model.total_count == 1


def test_pages_are_built_when_first_opened(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Start-up builds only the page shown; clicking another in the list builds and shows it."""
    win = window()
    assert set(win.pages) == {"directory"}
    keys = [spec.key for spec in PAGES]
    item = win.navigation.item(keys.index("calendar"))
    rect = win.navigation.visualItemRect(item)
    qtbot.mouseClick(win.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "calendar" in win.pages
    assert win.stack.currentWidget() is win.pages["calendar"]
    assert set(win.pages) == {"directory", "calendar"}


def test_the_lighter_import_hook_gives_pysides_answers() -> None:
    """PySide6 asks, after each import, whether the module uses PySide; the answers stay."""
    import sys

    import roundtable_app.core.model as plain
    from roundtable_app.ui import app

    app._lighter_import_hook()
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside(messages) is True
    assert feature._mod_uses_pyside(plain) is False
    assert feature._mod_uses_pyside(sys) is False  # built in: no source


def test_first_names_show_while_the_database_opens(qtbot, sqlite_db, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    """A large directory's first names appear before the database layer has loaded."""
    import threading

    from PySide6.QtWidgets import QTableView
    from shiboken6 import isValid

    from roundtable_app.services import directory
    from roundtable_app.services.demo import generate_demo

    generate_demo(sqlite_db, people=150)
    with sqlite_db.reading() as session:
        first = directory.list_rows(session, first=5)
    release = threading.Event()

    def opener():  # type: ignore[no-untyped-def]
        release.wait(20)  # the database layer is still loading
        return sqlite_db

    win = MainWindow(settings=isolated_settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.names_shown, timeout=10_000):
        win.open_database(opener, first_screen_of=sqlite_db.engine.url.render_as_string())
    assert win.ctx is None  # not open yet, and the names are on screen
    stand_in = win.stack.currentWidget()
    table = stand_in.findChild(QTableView)
    shown = [table.model().index(row, 0).data() for row in range(5)]
    widths = [table.columnWidth(column) for column in range(4)]
    assert shown == [row.full_name for row in first]
    assert win.database_label.text() == "Opening the database…"

    with qtbot.waitSignal(win.database_attached, timeout=10_000):
        release.set()
    qtbot.waitUntil(lambda: win.directory.loaded, timeout=10_000)
    assert win.stack.currentWidget() is win.directory
    assert win.directory.model.index(0, 0).data() == first[0].full_name
    after = [win.directory.table.columnWidth(column) for column in range(4)]
    assert all(abs(a - b) <= 30 for a, b in zip(after, widths, strict=True)), (widths, after)
    assert not isValid(stand_in) or win.stack.indexOf(stand_in) == -1  # the stand-in is gone


NOT_BUILT_YET = ("attendance", "summar", "check-in", "evidence-needs register")


def test_about_box_and_package_describe_only_what_the_app_does(qtbot, monkeypatch, window) -> None:  # type: ignore[no-untyped-def]
    import html
    import tomllib

    shown: list[str] = []
    monkeypatch.setattr(messages, "about", lambda _parent, _title, text: shown.append(text))
    win = window()
    help_menu = win.menuBar().actions()[-1].menu()
    about = next(a for a in help_menu.actions() if a.text() == "&About Roundtable")
    about.trigger()
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    description = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["description"]
    for text in (description, html.unescape(shown[0])):
        for claim in NOT_BUILT_YET:
            assert claim not in text.lower()
    from roundtable_app import DESCRIPTION  # one sentence, said the same way in both

    assert description == DESCRIPTION
    assert html.escape(DESCRIPTION) in shown[0]


def test_ctrl_1_to_4_switch_pages_and_the_view_menu_shows_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    win = window()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    view_menu = win.menuBar().actions()[2].menu()
    listed = {
        a.text().replace("&", ""): a.shortcut().toString()
        for a in view_menu.actions()
        if not a.isSeparator()
    }
    for row, spec in enumerate(PAGES):
        assert listed[spec.title] == f"Ctrl+{row + 1}"
    for row in (1, 2, 3, 0):
        key = getattr(Qt.Key, f"Key_{row + 1}")
        qtbot.keyClick(QApplication.focusWidget() or win, key, Qt.KeyboardModifier.ControlModifier)
        assert win.stack.currentWidget() is win.pages[PAGES[row].key]
        assert win.navigation.currentRow() == row
        checked = [a.text().replace("&", "") for a in view_menu.actions() if a.isChecked()]
        assert checked == [PAGES[row].title]


def test_the_status_bar_counts_people_after_the_first_screen(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db, make_person, isolated_settings
) -> None:
    """Opened the usual way (the first names first), the count replaces "Loading…"."""
    from roundtable_app.storage.unit_of_work import open_database

    for _ in range(3):
        make_person(sqlite_db)
    url = str(sqlite_db.engine.url)
    win = MainWindow(settings=isolated_settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_attached, timeout=20_000):
        win.open_database(lambda: open_database(url), first_screen_of=url)
    qtbot.waitUntil(lambda: win.counts_label.text() == "3 people", timeout=10_000)
    win.ctx.db.close()
