"""A held roundtable with a seating plan, and its Discussion window shown and active."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.model import Attendance
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import DiscussionTable, Invitation
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.discussion import DiscussionWindow

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@dataclass
class Held:
    db: Database
    rid: int
    table_id: int


def make_held(db: Database, make_person: Callable[..., int]) -> Held:
    """Three from Government, one academic and one person with lived experience attended,
    all at Table 1."""
    people = [
        make_person(
            db,
            full_name="José Müller",
            organisation="Salvation Army",
            sector="Government",
            interests=("Forced labour in supply chains", "Data and prevalence"),
        ),
        make_person(db, full_name="Ana Silva", sector="Government"),
        make_person(db, full_name="Bo Chen", sector="Government"),
        make_person(db, full_name="Ruth Okafor", organisation="Unseen", sector="Academic research"),
        make_person(db, full_name="Sam Reyes", sector="Lived experience"),
    ]
    data = roundtables.RoundtableData(
        title="Supply chains: what works?",
        evidence_questions="1. How many workers are affected?\n2. What works to prevent it?",
        starts_at=PAST,
        ends_at=PAST + dt.timedelta(hours=2),
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        table = DiscussionTable(roundtable_id=rid, number=1, name="Table 1")
        s.add(table)
        s.flush()
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
            inv.table_id = table.id
        table_id = table.id
    return Held(db, rid, table_id)


@pytest.fixture
def held(ctx: AppContext, make_person: Callable[..., int]) -> Held:
    return make_held(ctx.db, make_person)


def show_view(qtbot, ctx: AppContext, rid: int) -> DiscussionWindow:  # type: ignore[no-untyped-def]
    """The roundtable's Discussion window, shown and active (so shortcuts and focus work)."""
    view = DiscussionWindow(ctx, rid)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


@pytest.fixture
def open_view(qtbot, ctx: AppContext) -> Callable[[int], DiscussionWindow]:  # type: ignore[no-untyped-def]
    return lambda rid: show_view(qtbot, ctx, rid)


def saved(qtbot, view: DiscussionWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait until every edit typed so far is written (the window says so)."""
    view.notebook.queue.flush()
    qtbot.waitUntil(lambda: not view.notebook.queue.busy, timeout=10_000)


def notes(db: Database, rid: int, kind: NoteKind | None = None) -> list[discussion.Note]:
    with db.reading() as s:
        return [n for n in discussion.list_notes(s, rid) if kind is None or n.kind == kind]


def focused() -> object:
    return QApplication.focusWidget()


def key(qtbot, sequence: str, window: object = None) -> None:  # type: ignore[no-untyped-def]
    """Press a shortcut such as "Ctrl+2" in the focused widget, as a person would."""
    modifiers = Qt.KeyboardModifier.NoModifier
    *mods, name = sequence.split("+")
    for mod in mods:
        modifiers |= {
            "Ctrl": Qt.KeyboardModifier.ControlModifier,
            "Shift": Qt.KeyboardModifier.ShiftModifier,
        }[mod]
    keycode = getattr(Qt.Key, f"Key_{name}")
    target = QApplication.focusWidget() or window or QApplication.activeWindow()
    assert target is not None, "no window has the keyboard"
    qtbot.keyClick(target, keycode, modifiers)
