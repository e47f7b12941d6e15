"""The Statistics page, used as staff use it: open it, choose a series and a period with the
mouse, drill into a roundtable, set the target mix, export; on the hand-counted history of
tests/services/statistics (exact numbers on screen)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QSpinBox

from roundtable_app.core.model import Attendance, Changes
from roundtable_app.core.privacy import FEWER_THAN_3
from roundtable_app.services import attendance
from roundtable_app.services.statistics import parse_targets
from roundtable_app.ui import settings as keys
from roundtable_app.ui.main_window import PAGES
from roundtable_app.ui.statistics import TargetMixDialog
from tests.services.statistics.hand_counted import build

WAIT = 10_000


@pytest.fixture
def opened(qtbot, window, sqlite_db):  # type: ignore[no-untyped-def]
    """The main window on the hand-counted history, on the Statistics page (Ctrl+5)."""
    fx = build(sqlite_db)
    win = window()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    page = win.pages["statistics"]
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        qtbot.keyClick(
            QApplication.focusWidget() or win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier
        )
    assert win.stack.currentWidget() is page
    # "This year" and "Last year" as seen on the day these figures were counted.
    page.scope_bar.today = dt.date(2026, 12, 1)
    return win, page, fx


def choose(qtbot, page, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``combo`` with the mouse and click ``text`` in its list; wait for the figures."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    row = combo.findText(text)
    assert row >= 0, [combo.itemText(i) for i in range(combo.count())]
    index = view.model().index(row, 0)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseMove(view.viewport(), pos)  # the line under the mouse lights up
    # A combo box ignores a release within a double-click time of opening its list.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert combo.currentText() == text


def cards(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {key: card.value.text() for key, card in page.cards.items()}


def test_open_choose_a_series_and_a_period_then_one_roundtable(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    win, page, fx = opened
    assert page.title.text() == "All roundtables · all time"
    assert page.subtitle.text() == "4 roundtables · 10 Feb 2026 to 1 Jun 2026"
    assert cards(page) == {
        "roundtables": "4",
        "invited": "17",
        "accepted": "13",
        "attended": "9",
        "turnout": "67%",
        "lived": "3",  # exact on screen, where only staff see it
        "connections": "5",
        "reached": "6",
    }
    assert win.counts_label.text() == "4 roundtables · 9 attended"
    assert "1 roundtable has no attendance recorded yet" in page.rates.text()

    choose(qtbot, page, page.scope_bar.series_combo, "Supply chains")
    assert page.title.text() == "Supply chains · all time"
    assert cards(page)["invited"] == "11" and cards(page)["connections"] == "4"
    assert page.scope_bar.roundtable_combo.itemText(0) == "All 2 roundtables"

    choose(qtbot, page, page.scope_bar.series_combo, "All series")
    choose(qtbot, page, page.scope_bar.period_combo, "Last year")
    assert page.title.text() == "All roundtables · 1 Jan 2025 to 31 Dec 2025"
    assert page.subtitle.text() == "No roundtable took place in it"
    assert not page.export_button.isEnabled()
    choose(qtbot, page, page.scope_bar.period_combo, "This year")
    assert page.scope_bar.from_edit.date().toString("yyyy-MM-dd") == "2026-01-01"
    assert cards(page)["roundtables"] == "4"

    choose(qtbot, page, page.scope_bar.roundtable_combo, "15 Mar 2026 · Roundtable 2")
    assert page.title.text() == "Roundtable 2 · 15 Mar 2026"
    assert cards(page)["lived"] == "2"  # exact: "fewer than 3" is for outputs
    assert cards(page)["connections"] == "3"
    assert win.counts_label.text() == "1 roundtable · 5 attended"


def test_double_click_a_roundtable_to_see_it_alone(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _, page, _ = opened
    tab_bar = page.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    table = page.roundtable_table
    assert page.roundtable_proxy.rowCount() == 4
    texts = [page.roundtable_proxy.index(r, 7).data() for r in range(4)]
    assert texts == ["1", "3", "1", "0"]  # new connections, roundtable by roundtable
    assert page.roundtable_proxy.index(3, 3).data() == "not recorded"
    index = page.roundtable_proxy.index(2, 1)
    assert index.data() == "Roundtable 3"
    pos = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert page.title.text() == "Roundtable 3 · 20 May 2026"
    assert page.roundtable_proxy.rowCount() == 1
    # Back to all of them from the keyboard: Enter on a row of the list does the same.
    page.scope_bar.choose_roundtable(None)
    qtbot.waitUntil(lambda: page.roundtable_proxy.rowCount() == 4, timeout=WAIT)
    table.setFocus()
    table.setCurrentIndex(page.roundtable_proxy.index(0, 1))
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.title.text() == "Roundtable 1 · 10 Feb 2026"


def test_the_sector_table_and_its_sorting(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _, page, _ = opened
    proxy = page.sector_proxy
    rows = {proxy.index(r, 0).data(): r for r in range(proxy.rowCount())}
    academic = [proxy.index(rows["Academic research"], c).data() for c in range(9)]
    # invited, accepted, attended; turnout 4 of 6 expected, 1 no-show, 1 apology;
    # 4 of the 9 who attended; the default target.
    assert academic == ["Academic research", "7", "7", "4", "67%", "17%", "17%", "44%", "20%"]
    assert list(rows) == [s.sector for s in page.figures.by_sector]  # the sectors' own order
    header = page.sector_table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(3) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    attended = [int(proxy.index(r, 3).data()) for r in range(proxy.rowCount())]
    assert attended in (sorted(attended), sorted(attended, reverse=True))
    assert attended != [int(page.sector_model.index(r, 3).data()) for r in range(len(attended))]


def test_reach_names_who_never_came_and_who_drifted(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _, page, _ = opened
    tab_bar = page.tabs.tabBar()
    assert page.drift_proxy.rowCount() == 0  # read when the tab is opened
    with qtbot.waitSignal(page.drifted_shown, timeout=WAIT):
        qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(3).center())
    assert "6 people from 2 organisations came" in page.reach_summary.text()
    assert page.never_proxy.rowCount() == 1
    assert [page.never_proxy.index(0, c).data() for c in range(4)] == [
        "Fay Fox",
        "Acme Ltd",
        "Business",
        "3",
    ]
    box = page.never_invited
    with qtbot.waitSignal(page.drifted_shown, timeout=WAIT):
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    names = [page.drift_proxy.index(r, 0).data() for r in range(page.drift_proxy.rowCount())]
    assert "Hal Hume" in names  # never invited; Gus, who may not be contacted, is not
    assert "Gus Gray" not in names
    assert page.drift_proxy.index(names.index("Hal Hume"), 3).data() == "Never"


def test_the_target_mix_is_set_in_a_small_editor_and_kept(qtbot, opened, with_modal) -> None:  # type: ignore[no-untyped-def]
    win, page, _ = opened
    seen: dict[str, object] = {}

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, TargetMixDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        box = dialog.boxes["Funder"]
        assert isinstance(box, QSpinBox) and box.value() == 5
        box.selectAll()
        qtbot.keyClicks(box.lineEdit(), "15")
        seen["problem"] = dialog.problem.text()
        seen["ok"] = ok.isEnabled()
        academic = dialog.boxes["Academic research"]
        academic.selectAll()
        qtbot.keyClicks(academic.lineEdit(), "10")
        assert ok.isEnabled() and dialog.total.text() == "100 %"
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    with_modal(lambda: page.targets_button.click(), edit)
    assert seen == {
        "problem": "The shares add up to 110%, not 100%: lower some of them by 10 points in all.",
        "ok": False,
    }
    targets = parse_targets(win.settings.get(keys.STATISTICS_TARGET_MIX))
    assert targets["Funder"] == 15 and targets["Academic research"] == 10
    proxy = page.sector_proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "Funder")
    assert proxy.index(row, 8).data() == "15%"
    assert "Target mix…" in [a.text().replace("&", "") for a in page.menu_actions()]


def test_exports_from_the_page(qtbot, opened, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, page, fx = opened
    from roundtable_app.ui.statistics import export as export_module

    asked: list[str] = []

    def save_name(_parent, title, start, _filter):  # type: ignore[no-untyped-def]
        asked.append(title)
        return str(tmp_path / Path(start).stem)

    monkeypatch.setattr(export_module, "save_file_name", save_name)
    choose(qtbot, page, page.scope_bar.roundtable_combo, "15 Mar 2026 · Roundtable 2")
    for kind in ("csv", "xlsx", "pdf"):
        assert page.export_actions[kind] in page.export_menu.actions()
        page.export_actions[kind].trigger()
        with qtbot.waitSignal(page.last_export.ended, timeout=WAIT):
            pass
    assert asked == [
        "Export the figures as CSV",
        "Export the figures as an Excel workbook",
        "Export the attendance report",
    ]
    assert page.notice.isVisible() and "attendance-report-" in page.notice.text()
    files = {p.suffix: p for p in tmp_path.iterdir()}
    with open(files[".csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert ["Lived-experience participants", FEWER_THAN_3] in rows  # exact on screen only
    book = openpyxl.load_workbook(files[".xlsx"])
    assert book["Summary"]["A2"].value == "Roundtable 2 · 15 Mar 2026"
    text = " ".join(page.extract_text() for page in PdfReader(files[".pdf"]).pages)
    assert "Roundtable 2 · 15 Mar 2026" in text and "Target share" in text


def test_the_page_follows_a_change_of_attendance(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    win, page, fx = opened
    rid = fx.rts[4]  # nothing recorded yet
    with fx.db.transaction() as s:
        rows = attendance.attendance_rows(s, rid)
        attendance.mark(s, [r.invitation_id for r in rows], Attendance.ATTENDED)
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        win.ctx.publish(Changes(roundtables=frozenset({rid})))
    assert cards(page)["attended"] == "11"
    assert cards(page)["connections"] == "5"  # Ann and Cat had met at roundtable 1
    assert "no attendance recorded" not in page.rates.text()


def test_only_the_latest_choice_is_shown(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _, page, fx = opened
    from roundtable_app.services.statistics import Scope

    page.count(Scope(roundtable_id=fx.rts[1]))
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        last = page.count(Scope(roundtable_id=fx.rts[3]))
    qtbot.waitUntil(lambda: not last.running)
    qtbot.wait(50)  # the first count's result, if it came late, must not replace this one
    assert page.title.text() == "Roundtable 3 · 20 May 2026"


def test_the_page_is_fifth_and_opens_with_ctrl_5(opened) -> None:  # type: ignore[no-untyped-def]
    win, page, _ = opened
    assert [spec.key for spec in PAGES][4] == "statistics"
    assert win.navigation.item(4).text() == "Statistics"
    assert win.page_actions[4].shortcut().toString() == "Ctrl+5"


def test_the_period_chosen_is_kept_but_dates_typed_are_not(
    qtbot, window, sqlite_db, isolated_settings
) -> None:  # type: ignore[no-untyped-def]
    """Reopened after "Dates chosen", the page once counted 1 Jan 2000 to 1 Jan 2000: nothing."""
    build(sqlite_db)
    isolated_settings.set(keys.STATISTICS_PERIOD, "custom")
    win = window()
    page = win.pages["statistics"]
    with qtbot.waitSignal(page.figures_shown, timeout=WAIT):
        win.show_page("statistics")
    assert page.scope_bar.period_combo.currentText() == "All time"
    assert cards(page)["roundtables"] == "4"
    choose(qtbot, page, page.scope_bar.period_combo, "Last 12 months")
    assert isolated_settings.get(keys.STATISTICS_PERIOD) == "last-12-months"
