"""Send invitations as a person meets it: from the Roundtables page, by mouse clicks.

A draft says so at once and offers "Schedule and send"; the title bar names the
roundtable; a missing venue and a chair who is not invited are said before
sending; a held roundtable offers only cancellations.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import Qt

from roundtable_app.core.model import Format, InviteeRole, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.invitations import Check
from roundtable_app.services.roundtables import View
from roundtable_app.ui import settings as keys
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.send_dialog import SendInvitationsDialog
from roundtable_app.ui.roundtables.page import RoundtablesPage


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot, view, row: int) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, 1)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def make_page(qtbot, ctx: AppContext) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def people(ctx: AppContext, make_person, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    return [make_person(ctx.db, sector="Government") for _ in range(count)]


def roundtable(ctx: AppContext, **fields) -> int:  # type: ignore[no-untyped-def]
    starts, ends = roundtables.local_times(
        dt.date.today() + dt.timedelta(days=20), dt.time(10), dt.timedelta(hours=2), "UTC"
    )
    values: dict[str, object] = dict(
        title="Maritime labour: what we know", starts_at=starts, ends_at=ends
    )
    values.update(fields)
    with ctx.db.transaction() as session:
        return roundtables.create_roundtable(session, roundtables.RoundtableData(**values)).id  # type: ignore[arg-type]


def organiser(ctx: AppContext, folder: Path) -> None:
    ctx.settings.set(keys.ORGANISER_NAME, "Events Team")
    ctx.settings.set(keys.ORGANISER_EMAIL, "events@centre.example")
    ctx.settings.set(keys.SEND_MODE, "ics")
    ctx.settings.set(keys.LAST_ICS_FOLDER, str(folder))


def test_a_draft_says_so_at_once_and_offers_schedule_and_send(  # type: ignore[no-untyped-def]
    qtbot, with_modal, ctx, make_person, tmp_path
) -> None:
    organiser(ctx, tmp_path / "out")
    rt_id = roundtable(ctx, venue="Wilberforce Room, Hull")
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, rt_id, people(ctx, make_person, 3))
    page = make_page(qtbot, ctx)
    page.set_view(View.DRAFTS)
    click_row(qtbot, page.table, 0)
    seen: dict[str, object] = {}

    def look_and_send(dialog: SendInvitationsDialog) -> None:
        seen["window"] = dialog.windowTitle()
        seen["checks"] = dialog.checks.texts()
        seen["button"] = dialog.send_button.text().replace("&", "")
        with qtbot.waitSignal(dialog.delivery_finished, timeout=20_000) as sent:
            click(qtbot, dialog.send_button)
        seen["sent"] = sent.args[0].sent

    with_modal(lambda: click(qtbot, page.invitees.send_button), look_and_send)
    assert seen["window"] == "Send invitations to “Maritime labour: what we know”"
    assert seen["checks"] == [
        "“Maritime labour: what we know” is a draft: invitations go out only once it is "
        "scheduled, so sending now schedules it first."
    ]
    assert seen["button"] == "Schedule and save files"
    assert seen["sent"] == 3
    with ctx.db.reading() as session:
        assert roundtables.get_roundtable(session, rt_id).status == RoundtableStatus.SCHEDULED
    assert len(list((tmp_path / "out").glob("*.ics"))) == 3
    # The page follows the roundtable it just scheduled (out of Drafts).
    assert page.current_id() == rt_id and page.view == View.UPCOMING
    assert ctx.undo_stack.undoText() == "Schedule roundtable"


def test_a_draft_without_a_date_cannot_be_sent_and_says_why(qtbot, ctx, make_person) -> None:  # type: ignore[no-untyped-def]
    rt_id = roundtable(ctx, starts_at=None, ends_at=None, venue="Room 1")
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, rt_id, people(ctx, make_person, 1))
    dialog = SendInvitationsDialog(ctx, rt_id, schedule=lambda: True)
    qtbot.addWidget(dialog)
    assert not dialog.send_button.isEnabled()
    assert "has no date yet: give it a date and time" in dialog.send_button.toolTip()
    assert [c.check for c in dialog.checks.checks] == [Check.NO_DATE]


def test_no_venue_is_warned_before_sending(qtbot, ctx, make_person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    organiser(ctx, tmp_path)
    rt_id = roundtable(ctx, format=Format.IN_PERSON)
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, rt_id, people(ctx, make_person, 1))
        info = roundtables.get_roundtable(session, rt_id)
        roundtables.set_status(session, rt_id, RoundtableStatus.SCHEDULED, info.version)
    dialog = SendInvitationsDialog(ctx, rt_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.checks.isVisible()
    assert dialog.checks.texts() == [
        "“Maritime labour: what we know” is in person but has no venue: invitees' calendars "
        "will show no place to go. Add the venue in Edit details…, or send without it."
    ]
    assert dialog.send_button.isEnabled()  # a warning: the user may send anyway


def test_a_chair_not_invited_is_offered_and_added_as_chair(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_person, tmp_path
) -> None:
    organiser(ctx, tmp_path)
    chair = make_person(ctx.db, full_name="Grace Okafor", email="grace@example.org")
    rt_id = roundtable(ctx, venue="Room 1", chair_id=chair)  # created without the chair
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, rt_id, people(ctx, make_person, 2))
        info = roundtables.get_roundtable(session, rt_id)
        roundtables.set_status(session, rt_id, RoundtableStatus.SCHEDULED, info.version)
    dialog = SendInvitationsDialog(ctx, rt_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.checks.texts() == [
        "The chair, Grace Okafor, is not on the invitee list, so gets no invitation."
    ]
    assert "0 not sent" not in dialog.form.summary.text()
    assert "<b>2</b> not sent" in dialog.form.summary.text()
    click(qtbot, dialog.checks.buttons[Check.CHAIR])
    assert dialog.checks.texts() == []
    assert "<b>3</b> not sent" in dialog.form.summary.text()
    with ctx.db.reading() as session:
        rows = roundtables.invitee_rows(session, rt_id)
    assert [r.role for r in rows if r.person_id == chair] == [InviteeRole.CHAIR]
    assert ctx.undo_stack.undoText() == "Add Grace Okafor as Chair"
    with qtbot.waitSignal(dialog.delivery_finished, timeout=20_000):
        click(qtbot, dialog.send_button)
    events = [Calendar.from_ical(p.read_bytes()).walk("VEVENT")[0] for p in tmp_path.glob("*.ics")]
    [to_chair] = [e for e in events if "grace@example.org" in str(e["ATTENDEE"])]
    assert to_chair["ATTENDEE"].params["ROLE"] == "CHAIR"


def test_a_held_roundtable_offers_only_cancellations(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.PAST)
    held = next(
        r
        for r in range(page.model.rowCount())
        if page.model.row_at(r).status == RoundtableStatus.HELD
    )
    click_row(qtbot, page.table, held)
    button = page.invitees.send_button
    assert button.text() == "Send cancellations…"
    assert not button.isEnabled()
    assert "has been held and no cancellation is due" in button.toolTip()
    # A request-mode dialog opened on it anyway (e.g. from elsewhere) refuses at once.
    dialog = SendInvitationsDialog(demo_ctx, page.current_id())
    qtbot.addWidget(dialog)
    assert not dialog.send_button.isEnabled()
    assert [c.check for c in dialog.checks.checks] == [Check.HELD]
