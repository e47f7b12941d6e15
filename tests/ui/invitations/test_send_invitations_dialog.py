"""The Send invitations dialog: .ics files, .eml drafts and a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import os
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from icalendar import Calendar
from sqlalchemy import select

from roundtable_app.core.model import Changes, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.invitations import Mode
from roundtable_app.services.roundtables import InviteeStatus
from roundtable_app.storage.models import Roundtable
from roundtable_app.ui import settings as keys
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.send_dialog import SendInvitationsDialog


@pytest.fixture
def demo_ctx(demo_ctx: AppContext) -> AppContext:
    """The demo context with the organiser set, as the send dialog needs."""
    demo_ctx.settings.set(keys.ORGANISER_NAME, "Events Team")
    demo_ctx.settings.set(keys.ORGANISER_EMAIL, "events@centre.example")
    return demo_ctx


def fresh_roundtable(db) -> int:
    """A scheduled demo roundtable, its invitations made unsent so the dialog sends them."""
    with db.transaction() as s:
        rt = s.scalars(
            select(Roundtable)
            .where(Roundtable.status == RoundtableStatus.SCHEDULED.value)
            .order_by(Roundtable.starts_at)
        ).first()
        assert rt is not None and rt.invitations
        for inv in rt.invitations:
            inv.sent_sequence = inv.sent_method = inv.sent_at = None
            inv.response = "needs_action"
        return rt.id


def rows(db, rt_id):
    with db.reading() as s:
        return [r for r in roundtables.invitee_rows(s, rt_id) if r.status != "cancelled"]


def send(qtbot, dialog: SendInvitationsDialog):
    with qtbot.waitSignal(dialog.delivery_finished, timeout=20_000) as blocker:
        dialog.send_button.click()
    return blocker.args[0]


def test_ics_files_are_written_parsed_back_and_marked_sent(demo_ctx, qtbot, tmp_path):
    rt_id = fresh_roundtable(demo_ctx.db)
    published: list[Changes] = []
    demo_ctx.changes_published.connect(published.append)
    dialog = SendInvitationsDialog(demo_ctx, rt_id)
    qtbot.addWidget(dialog)
    n = len(rows(demo_ctx.db, rt_id))
    assert f"{n} not sent" in dialog.form.summary.text().replace("<b>", "").replace("</b>", "")
    assert (
        "no one sees the other invitees' addresses"
        in dialog.findChild(type(dialog.title), "privacyNote").text()
    )
    dialog.form.set_mode(Mode.ICS_FILES)
    dialog.form.folder.setText(str(tmp_path / "out"))
    report = send(qtbot, dialog)
    assert report.sent == n and not report.failed
    files = sorted((tmp_path / "out").glob("*.ics"))
    assert len(files) == n
    for path in files:
        cal = Calendar.from_ical(path.read_bytes())
        assert str(cal["METHOD"]) == "REQUEST"
        assert not isinstance(cal.walk("VEVENT")[0]["ATTENDEE"], list)  # only that invitee
    assert {r.status_label for r in rows(demo_ctx.db, rt_id)} == {"sent (version 1)"}
    assert dialog.results.rowCount() == n
    assert dialog.results.item(0, 2).text() == "written"
    assert not dialog.open_button.isHidden() and dialog.retry_button.isHidden()
    assert published and rt_id in published[-1].roundtables
    assert demo_ctx.settings.get(keys.LAST_ICS_FOLDER) == str(tmp_path / "out")


def test_eml_drafts(demo_ctx, qtbot, tmp_path):
    rt_id = fresh_roundtable(demo_ctx.db)
    dialog = SendInvitationsDialog(demo_ctx, rt_id)
    qtbot.addWidget(dialog)
    dialog.form.set_mode(Mode.EML_DRAFTS)
    dialog.form.folder.setText(str(tmp_path))
    report = send(qtbot, dialog)
    drafts = list(tmp_path.glob("*.eml"))
    assert report.sent == len(drafts) > 0
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert any(p.get_content_type() == "text/calendar" for p in msg.walk())


def test_organiser_is_required(demo_ctx, qtbot, tmp_path):
    rt_id = fresh_roundtable(demo_ctx.db)
    dialog = SendInvitationsDialog(demo_ctx, rt_id)
    qtbot.addWidget(dialog)
    dialog.form.organiser_email.setText("not an address")
    dialog.form.folder.setText(str(tmp_path / "out"))
    dialog.send_button.click()
    assert "not an e-mail address" in dialog.form.error.text()
    assert dialog.pages.currentIndex() == 0 and not (tmp_path / "out").exists()


class Refusing:
    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.arrived: list[str] = []

    async def handle_RCPT(self, server, session, envelope: Envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):  # noqa: N802
        self.arrived.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def test_smtp_with_a_refused_recipient_shown_as_failed_and_retried(demo_ctx, qtbot):
    rt_id = fresh_roundtable(demo_ctx.db)
    invitees = rows(demo_ctx.db, rt_id)
    victim = invitees[1].email
    handler = Refusing({victim})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        dialog = SendInvitationsDialog(demo_ctx, rt_id)
        qtbot.addWidget(dialog)
        form = dialog.form
        form.set_mode(Mode.SMTP)
        form.smtp_host.setText("127.0.0.1")
        form.smtp_port.setValue(port)
        form.smtp_security.setCurrentIndex(form.smtp_security.findData("none"))
        form.smtp_user.setText("")
        report = send(qtbot, dialog)
        assert report.sent == len(invitees) - 1
        (failed,) = report.failed
        assert failed.email == victim
        shown = {
            dialog.results.item(r, 1).text(): dialog.results.item(r, 2).text()
            for r in range(dialog.results.rowCount())
        }
        assert shown[victim] == "failed" and shown[invitees[0].email] == "sent"
        assert not dialog.retry_button.isHidden()
        if os.environ.get("ROUNDTABLE_SHOTS"):  # for a person to look at, not an assertion
            dialog.grab().save(os.path.join(os.environ["ROUNDTABLE_SHOTS"], "send_failed.png"))
        state = {r.email: r.status for r in rows(demo_ctx.db, rt_id)}
        assert state[victim] == InviteeStatus.NOT_SENT
        handler.refuse.clear()
        with qtbot.waitSignal(dialog.delivery_finished, timeout=20_000) as blocker:
            dialog.retry_button.click()
        assert blocker.args[0].sent == 1 and [r.email for r in blocker.args[0].results] == [victim]
        assert handler.arrived.count(victim) == 1
        assert {r.email: r.status for r in rows(demo_ctx.db, rt_id)}[victim] == InviteeStatus.SENT
        assert demo_ctx.settings.get(keys.SMTP_HOST) == "127.0.0.1"
    finally:
        controller.stop()


def test_cancel_method_is_labelled(demo_ctx, qtbot):
    rt_id = fresh_roundtable(demo_ctx.db)
    dialog = SendInvitationsDialog(demo_ctx, rt_id, method="cancel")
    qtbot.addWidget(dialog)
    assert "cancellation" in dialog.title.text().lower()
    assert dialog.subtitle.text().endswith("What: Cancellation")
    assert "still to be told it is cancelled" in dialog.form.summary.text()
    assert dialog.folder is None  # nothing is written before Send is pressed
