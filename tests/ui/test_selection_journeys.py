"""What is acted on is what is highlighted, however it was chosen (issue 9, defect 1's
pattern on the People and Calendar pages): rows clicked with the mouse, after a sort
and a filter, and calendar chips double-clicked one after another."""

from __future__ import annotations

from PySide6.QtCore import Qt

from roundtable_app.services import roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.ui import messages
from roundtable_app.ui.main_window import PAGES


def click_row(qtbot, table, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def name_at(win, row: int) -> str:  # type: ignore[no-untyped-def]
    return win.directory.model.row_at(row).full_name


def edited_title(qtbot, win, with_modal) -> str:  # type: ignore[no-untyped-def]
    """Click Edit; the title of the form that opens."""
    titles: list[str] = []
    button = win.directory.edit_button
    with_modal(
        lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton),
        lambda dialog: titles.append(dialog.windowTitle()),
    )
    return titles[0]


def test_people_page_acts_on_the_row_clicked(
    qtbot, monkeypatch, window, sqlite_db, make_person, with_modal
) -> None:  # type: ignore[no-untyped-def]
    for name in ("Ada Lovelace", "Ben Okri", "Cyd Charisse", "Dev Patel"):
        make_person(sqlite_db, full_name=name)
    win = window()
    table = win.directory.table
    win.directory.select_ids([win.directory.model.person_id(0)])  # Ada, chosen earlier
    click_row(qtbot, table, 2)
    assert edited_title(qtbot, win, with_modal) == f"Edit {name_at(win, 2)}" == "Edit Cyd Charisse"

    header = table.horizontalHeader()  # sort by name, Z to A: the selection follows Cyd
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_name_header_centre(header))
    assert name_at(win, 0) == "Dev Patel"
    assert edited_title(qtbot, win, with_modal) == "Edit Cyd Charisse"
    click_row(qtbot, table, 0)
    assert edited_title(qtbot, win, with_modal) == "Edit Dev Patel"

    qtbot.keyClicks(win.directory.filter_edit, "o")  # Ada Lovelace, Ben Okri
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 1, Qt.KeyboardModifier.ControlModifier)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    qtbot.mouseClick(win.directory.delete_button, Qt.MouseButton.LeftButton)
    assert asked[0].startswith("Delete 2 people")
    assert win.directory.selected_ids() == [
        win.directory.model.person_id(0),
        win.directory.model.person_id(1),
    ]


def _name_header_centre(header):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    return QPoint(x, header.height() // 2)


def test_calendar_opens_the_chip_double_clicked(qtbot, window, sqlite_db, with_modal) -> None:  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=80)
    win = window()
    win.navigation.setCurrentRow([spec.key for spec in PAGES].index("calendar"))
    page = win.pages["calendar"]
    with sqlite_db.reading() as session:
        rows = roundtables.list_roundtables(session, roundtables.View.ALL)
    titles = {r.id: r.title for r in rows}
    page.set_view("month")
    chips = []
    for row in (r for r in rows if r.starts_at is not None):  # a month with two roundtables
        page.set_period(row.starts_at.astimezone(page.zone).date())
        chips = [(i.id, page.month.chip_rect(i.id)) for i in page.month.items]
        chips = [(rid, rect) for rid, rect in chips if rect is not None]
        if len(chips) >= 2:
            break
    assert len(chips) >= 2, "the demo needs a month with two roundtables"
    opened: list[str] = []
    for rid, rect in chips[:2]:
        with_modal(
            lambda rect=rect: qtbot.mouseDClick(
                page.month, Qt.MouseButton.LeftButton, pos=rect.center()
            ),
            lambda dialog: opened.append(dialog.windowTitle()),
        )
        assert opened[-1] == f"Edit {titles[rid]}"
