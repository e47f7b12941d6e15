"""Importing replies in the GUI: dropped or chosen files, the result window, undo."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import select

from roundtable_app.core.model import Response, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.models import Invitation, Roundtable
from roundtable_app.ui.invitations.replies_dialog import RepliesResultDialog, import_replies


def crlf(text: str) -> bytes:
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n"


def outlook_reply(uid: str, address: str, partstat: str, seq: int = 0) -> bytes:
    """An Exchange-shaped reply e-mail: capital MAILTO, Windows TZID, no ORGANIZER."""
    ics = crlf(f"""
BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VEVENT
ATTENDEE;PARTSTAT={partstat};CN=Invitee:MAILTO:{address.upper()}
SUMMARY;LANGUAGE=en-GB:Accepted: a roundtable
DTSTART;TZID=GMT Standard Time:20261203T100000
DTEND;TZID=GMT Standard Time:20261203T120000
UID:{uid}
DTSTAMP:20261130T101500Z
SEQUENCE:{seq}
END:VEVENT
END:VCALENDAR
""")
    body = base64.encodebytes(ics).decode()
    return crlf(f"""
From: Invitee <{address}>
To: Events Team <events@centre.example>
Subject: Accepted: a roundtable
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="utf-8"

Accepted.
--b1
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

{body}
--b1--
""")


def setup_reply(db, tmp_path: Path) -> tuple[int, int, Path, Path]:
    """A sent invitation awaiting an answer, an Outlook reply to it, and a stray file."""
    generate_demo(db, people=150)
    with db.transaction() as s:
        rt = s.scalars(
            select(Roundtable).where(Roundtable.status == RoundtableStatus.SCHEDULED.value)
        ).first()
        inv = s.scalars(
            select(Invitation).where(
                Invitation.roundtable_id == rt.id, Invitation.sent_sequence.is_not(None)
            )
        ).first()
        inv.response = Response.NEEDS_ACTION.value
        inv.reply_sequence = inv.reply_stamp = None
        uid, sequence, address = rt.ical_uid, inv.sent_sequence, inv.person.email
        rt_id, inv_id = rt.id, inv.id
    reply = tmp_path / "RE Accepted.eml"
    reply.write_bytes(outlook_reply(uid, address, "ACCEPTED", sequence))
    stray = tmp_path / "notes.ics"
    stray.write_bytes(crlf("BEGIN:VCALENDAR\nMETHOD:REQUEST\nVERSION:2.0\nEND:VCALENDAR"))
    return rt_id, inv_id, reply, stray


def response_of(db, rt_id: int, inv_id: int) -> Response:
    with db.reading() as s:
        rows = roundtables.invitee_rows(s, rt_id)
    return next(r.response for r in rows if r.invitation_id == inv_id)


def test_dropped_reply_is_applied_shown_and_undone(window, sqlite_db, tmp_path, qtbot):
    rt_id, inv_id, reply, stray = setup_reply(sqlite_db, tmp_path)
    win = window()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(reply)), QUrl.fromLocalFile(str(stray))])
    event = QDropEvent(
        QPointF(QPoint(200, 200)),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)
    assert response_of(sqlite_db, rt_id, inv_id) == Response.ACCEPTED
    dialog = win.findChild(RepliesResultDialog)
    assert dialog is not None
    changes = dialog.changes
    assert changes.rowCount() == 1
    assert changes.item(0, 3).text() == "no answer → accepted"
    assert changes.item(0, 4).text() == reply.name
    issues = {
        dialog.issues.item(r, 0).text(): dialog.issues.item(r, 1).text()
        for r in range(dialog.issues.rowCount())
    }
    assert issues == {stray.name: "Not a reply"}
    assert win.ctx.undo_stack.undoText() == "Import 1 reply"
    win.ctx.undo_stack.undo()
    assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION
    win.ctx.undo_stack.redo()
    assert response_of(sqlite_db, rt_id, inv_id) == Response.ACCEPTED
    dialog.close()


def test_import_twice_says_already_applied(window, sqlite_db, tmp_path, qtbot):
    rt_id, inv_id, reply, _stray = setup_reply(sqlite_db, tmp_path)
    win = window()
    first = import_replies(win.ctx, [str(reply)], win)
    assert first is not None and first.report.changes
    second = import_replies(win.ctx, [str(reply)], win)
    assert second is not None and not second.report.changes
    assert second.issues.item(0, 1).text() == "Already applied"
    assert "already applied" in second.issues.item(0, 2).text()
    assert win.ctx.undo_stack.count() == 1  # nothing changed, nothing to undo
    assert second.undo_button.isHidden()
    first.undo_import()
    assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION
    first.close()
    second.close()


def test_the_import_command_says_what_it_changed(ctx, tmp_path, qtbot):
    """Every undoable command answers ``changes()`` (the views to refresh after a step).

    The import command once stored its replies in an attribute named ``changes``,
    hiding the method: asking it what changed raised instead of answering.
    """
    from roundtable_app.core.model import Changes
    from roundtable_app.ui.invitations.commands import ImportRepliesCommand

    rt_id, inv_id, reply, _stray = setup_reply(ctx.db, tmp_path)
    command, report = ImportRepliesCommand.execute(ctx, [reply])
    assert command is not None and len(report.changes) == 1
    assert command.changes() == Changes(all_roundtables=True)
    ctx.undo_stack.push(command)
    ctx.undo_stack.undo()
    assert response_of(ctx.db, rt_id, inv_id) == Response.NEEDS_ACTION
    ctx.undo_stack.redo()
    assert response_of(ctx.db, rt_id, inv_id) == Response.ACCEPTED


def _button(dialog, text: str) -> QPushButton:  # type: ignore[no-untyped-def]
    return next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == text)


def _title(dialog) -> str:  # type: ignore[no-untyped-def]
    return dialog.findChild(QLabel, "repliesTitle").text()


def test_enter_closes_the_result_and_keeps_the_import(window, sqlite_db, tmp_path, qtbot):
    """Enter is Close: it once pressed "Undo this import", while the title still said
    the responses had changed."""
    rt_id, inv_id, reply, _stray = setup_reply(sqlite_db, tmp_path)
    win = window()
    dialog = import_replies(win.ctx, [str(reply)], win)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert _button(dialog, "Close").isDefault()
    undo = _button(dialog, "Undo this import")
    undo.setFocus(Qt.FocusReason.TabFocusReason)  # tabbed there, as a user may
    qtbot.keyClick(undo, Qt.Key.Key_Return)
    assert response_of(sqlite_db, rt_id, inv_id) == Response.ACCEPTED
    assert not dialog.isVisible()
    assert win.ctx.undo_stack.index() == 1


def test_after_an_undo_the_result_says_what_is_true(window, sqlite_db, tmp_path, qtbot):
    rt_id, inv_id, reply, _stray = setup_reply(sqlite_db, tmp_path)
    win = window()
    dialog = import_replies(win.ctx, [str(reply)], win)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert _title(dialog) == "1 response changed from 1 file"
    undo = _button(dialog, "Undo this import")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton, pos=undo.rect().center())
    assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION
    assert _title(dialog) == "Import undone: 1 response is back as it was"
    assert not dialog.changes.isEnabled()  # greyed: no longer what the list says
    assert dialog.changes.item(0, 3).text() == "back to no answer"
    assert undo.text() == "&Redo this import"
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter still only closes
    assert not dialog.isVisible()
    assert response_of(sqlite_db, rt_id, inv_id) == Response.NEEDS_ACTION


def test_the_result_follows_edit_undo_and_redo(window, sqlite_db, tmp_path, qtbot):
    _rt_id, _inv_id, reply, _stray = setup_reply(sqlite_db, tmp_path)
    win = window()
    dialog = import_replies(win.ctx, [str(reply)], win)
    assert dialog is not None
    win.undo_action.trigger()
    assert _title(dialog).startswith("Import undone")
    win.redo_action.trigger()
    assert _title(dialog) == "1 response changed from 1 file"
    assert dialog.changes.isEnabled() and dialog.undo_button.text() == "&Undo this import"
    dialog.close()
