"""Forged and forwarded replies dropped on the window: nothing changes until the user says so.

A reply e-mailed by a stranger (From: is not the invitee) once changed the
invitee's answer like any other; a forged one (a SEQUENCE never sent) was
applied and then blocked the invitee's real answer. Now the forged one is
listed as refused with the reason, and the forwarded one is held in the result
window until the user clicks "Apply", which Edit > Undo and "Undo this import"
take back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select
from test_replies_dialog import outlook_reply, response_of

from roundtable_app.core.model import Response, RoundtableStatus
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.models import Invitation, Roundtable
from roundtable_app.ui.invitations.held_replies import APPLY_COLUMN
from roundtable_app.ui.invitations.replies_dialog import RepliesResultDialog

ATTACKER = b"From: Mallory <attacker@evil.example>"


def sent_invitations(db, count: int = 3) -> tuple[int, str, list[tuple[int, str, int]]]:
    """A scheduled roundtable and ``count`` of its sent invitations, awaiting an answer."""
    generate_demo(db, people=150)
    with db.transaction() as s:
        rt = s.scalars(
            select(Roundtable).where(Roundtable.status == RoundtableStatus.SCHEDULED.value)
        ).first()
        invs = s.scalars(
            select(Invitation)
            .where(Invitation.roundtable_id == rt.id, Invitation.sent_sequence.is_not(None))
            .order_by(Invitation.id)
            .limit(count)
        ).all()
        found = []
        for inv in invs:
            inv.response = Response.NEEDS_ACTION.value
            inv.reply_sequence = inv.reply_stamp = None
            found.append((inv.id, inv.person.email, inv.sent_sequence))
        return rt.id, rt.ical_uid, found


def forwarded(tmp_path: Path, name: str, uid: str, address: str, answer: str, seq: int) -> Path:
    path = tmp_path / name
    path.write_bytes(
        outlook_reply(uid, address, answer, seq).replace(
            f"From: Invitee <{address}>".encode(), ATTACKER
        )
    )
    return path


def drop(win, *paths: Path) -> RepliesResultDialog:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(QPoint(200, 200)),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)
    dialog = win.findChild(RepliesResultDialog)
    assert dialog is not None
    return dialog


def cells(table, row: int) -> list[str]:
    return [
        table.item(row, c).text() if table.item(row, c) else "" for c in range(table.columnCount())
    ]


def by_header(table, row: int) -> dict[str, str]:
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return dict(zip(headers, cells(table, row), strict=True))


def click_row(qtbot, table, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = table.visualRect(table.model().index(row, 1))  # the name, not the Apply button
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_a_forged_and_a_forwarded_reply_change_nothing_until_applied(
    window, sqlite_db, tmp_path, qtbot
):
    rt_id, uid, [(first, address, sequence), (second, other, _seq)] = sent_invitations(sqlite_db, 2)
    forged = tmp_path / "forged.eml"
    forged.write_bytes(outlook_reply(uid, other, "DECLINED", sequence + 7))
    fwd = forwarded(tmp_path, "forwarded.eml", uid, address, "DECLINED", sequence)
    win = window()
    dialog = drop(win, forged, fwd)
    qtbot.waitExposed(dialog)
    assert response_of(sqlite_db, rt_id, first) == Response.NEEDS_ACTION
    assert response_of(sqlite_db, rt_id, second) == Response.NEEDS_ACTION
    title = dialog.title.text()
    assert title == "0 responses changed from 2 files; 1 forwarded reply held"
    held = dialog.held.table
    assert dialog.held.isVisible() and held.rowCount() == 1
    row = by_header(held, 0)
    assert row["Address"] == address and row["Answer"] == "declines"
    assert row["Forwarded by"] == "Mallory <attacker@evil.example>"
    assert row["File"] == "forwarded.eml"
    refused = cells(dialog.issues, 0)
    assert refused[:2] == ["forged.eml", "Refused"]
    assert f"only version {sequence + 1} was ever sent" in refused[2]
    assert win.ctx.undo_stack.count() == 0  # nothing changed, nothing to undo

    button = held.cellWidget(0, APPLY_COLUMN)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    assert response_of(sqlite_db, rt_id, first) == Response.DECLINED
    assert not dialog.held.isVisible()
    assert dialog.title.text() == "1 response changed from 2 files"
    assert cells(dialog.changes, 0)[3:] == [
        "no answer → declined",
        "forwarded.eml (forwarded by Mallory <attacker@evil.example>)",
    ]
    assert win.ctx.undo_stack.undoText() == "Apply 1 forwarded reply"
    win.undo_action.trigger()
    assert response_of(sqlite_db, rt_id, first) == Response.NEEDS_ACTION
    assert dialog.changes.item(0, 3).text() == "back to no answer"
    assert dialog.title.text().startswith("Import undone")
    win.redo_action.trigger()
    assert response_of(sqlite_db, rt_id, first) == Response.DECLINED
    dialog.close()


def test_apply_selected_then_undo_this_import_takes_both_back(window, sqlite_db, tmp_path, qtbot):
    rt_id, uid, invs = sent_invitations(sqlite_db, 3)
    (own_id, own, seq0), (a_id, a, seq1), (b_id, b, seq2) = invs
    genuine = tmp_path / "own.eml"
    genuine.write_bytes(outlook_reply(uid, own, "ACCEPTED", seq0))
    files = [
        genuine,
        forwarded(tmp_path, "a.eml", uid, a, "TENTATIVE", seq1),
        forwarded(tmp_path, "b.eml", uid, b, "ACCEPTED", seq2),
    ]
    win = window()
    dialog = drop(win, *files)
    qtbot.waitExposed(dialog)
    assert response_of(sqlite_db, rt_id, own_id) == Response.ACCEPTED
    assert dialog.title.text() == "1 response changed from 3 files; 2 forwarded replies held"
    held = dialog.held.table
    assert not dialog.held.apply_selected.isEnabled()  # nothing chosen yet
    click_row(qtbot, held, 0)
    click_row(qtbot, held, 1, Qt.KeyboardModifier.ControlModifier)
    assert dialog.held.apply_selected.text() == "&Apply selected (2)"
    apply = dialog.held.apply_selected
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton, pos=apply.rect().center())
    assert response_of(sqlite_db, rt_id, a_id) == Response.TENTATIVE
    assert response_of(sqlite_db, rt_id, b_id) == Response.ACCEPTED
    assert dialog.changes.rowCount() == 3
    assert dialog.title.text() == "3 responses changed from 3 files"

    undo = dialog.undo_button
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton, pos=undo.rect().center())
    for inv_id in (own_id, a_id, b_id):
        assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION
    assert dialog.title.text() == "Import undone: 3 responses are back as they were"
    assert undo.text() == "&Redo this import"
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton, pos=undo.rect().center())
    assert response_of(sqlite_db, rt_id, own_id) == Response.ACCEPTED
    assert response_of(sqlite_db, rt_id, a_id) == Response.TENTATIVE
    assert response_of(sqlite_db, rt_id, b_id) == Response.ACCEPTED
    dialog.close()


def test_enter_and_escape_close_without_applying_a_held_reply(window, sqlite_db, tmp_path, qtbot):
    rt_id, uid, [(inv_id, address, sequence)] = sent_invitations(sqlite_db, 1)
    fwd = forwarded(tmp_path, "fwd.eml", uid, address, "DECLINED", sequence)
    win = window()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        dialog = drop(win, fwd)
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        click_row(qtbot, dialog.held.table, 0)  # the held reply chosen, as if to apply it
        qtbot.keyClick(dialog.held.table, key)
        assert not dialog.isVisible()
        assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION
        dialog.deleteLater()
        qtbot.waitUntil(lambda: win.findChild(RepliesResultDialog) is None)
