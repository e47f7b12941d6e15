"""The roundtable editor: validation, live clash and weekend warnings, conflicts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime

from roundtable_app.core.model import Format, PersonData
from roundtable_app.services import directory
from roundtable_app.services import roundtables as rts
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.roundtables.roundtable_dialog import RoundtableDialog, open_roundtable_editor

DAY = dt.date(2027, 3, 10)  # a Wednesday
SATURDAY = dt.date(2027, 3, 13)


def person(ctx: AppContext, name: str, email: str, zone: str | None = None) -> int:
    with ctx.db.transaction() as session:
        data = PersonData(full_name=name, email=email, time_zone=zone)
        return directory.create_person(session, data).id


def roundtable(ctx: AppContext, title: str, **fields) -> rts.RoundtableInfo:  # type: ignore[no-untyped-def]
    starts, ends = rts.local_times(DAY, dt.time(10), dt.timedelta(hours=2), "Europe/London")
    data = rts.RoundtableData(title=title, starts_at=starts, ends_at=ends, **fields)
    with ctx.db.transaction() as session:
        return rts.create_roundtable(session, data)


def dialog_for(qtbot, ctx, info=None, saved=None) -> RoundtableDialog:  # type: ignore[no-untyped-def]
    dialog = RoundtableDialog(ctx, saved.append if saved is not None else lambda _d: None, info)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def set_slot(dialog: RoundtableDialog, day: dt.date, hour: int = 10) -> None:
    dialog.undated_check.setChecked(False)
    dialog.date_edit.set_date(QDate(day.year, day.month, day.day))
    dialog.start_edit.setTime(QTime(hour, 0))
    dialog.zone_combo.setEditText("Europe/London")
    dialog.update_hints()


def test_new_roundtable_defaults_and_required_title(qtbot, ctx, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui.settings import DEFAULT_TIME_ZONE

    isolated_settings.set(DEFAULT_TIME_ZONE, "Europe/Paris")
    dialog = dialog_for(qtbot, AppContext(ctx.db, isolated_settings))
    assert dialog.zone_combo.currentText() == "Europe/Paris"
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.title_edit, "x")
    assert dialog.ok_button.isEnabled()
    dialog.title_edit.clear()
    assert dialog.title_error.text() == "A roundtable needs a title."


def test_form_data_round_trips(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    chair = person(ctx, "Grace Chair", "grace@example.org")
    info = roundtable(
        ctx,
        "Forced labour roundtable",
        purpose="Why",
        themes=("Forced labour in supply chains",),
        evidence_questions="Q1?\nQ2?",
        series="Research priorities",
        format=Format.HYBRID,
        venue="Hull Hall",
        venue_address="1 Road",
        online_link="https://meet.example.org/abc",
        capacity=12,
        chair_id=chair,
        accessibility_contact="access@example.org",
    )
    dialog = dialog_for(qtbot, ctx, info)
    assert dialog.chair.line.text() == "Grace Chair <grace@example.org>"
    assert rts.validate(dialog.data()) == rts.validate(info.data)


def test_joining_link_is_validated_as_a_url(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, ctx)
    qtbot.keyClicks(dialog.title_edit, "Online table")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(Format.ONLINE.value))
    assert not dialog.venue_edit.isEnabled() and dialog.link_edit.isEnabled()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.link_edit, "meet dot example")
    assert "https://" in dialog.link_error.text()
    assert not dialog.ok_button.isEnabled()
    dialog.link_edit.setText("https://meet.example.org/room")
    assert dialog.ok_button.isEnabled() and dialog.link_error.isHidden()


def test_clash_warning_when_the_chair_is_booked(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    chair = person(ctx, "Grace Chair", "grace@example.org")
    roundtable(ctx, "Policing table", chair_id=chair)
    dialog = dialog_for(qtbot, ctx)
    qtbot.keyClicks(dialog.title_edit, "Second table")
    set_slot(dialog, DAY, hour=11)  # overlaps 10:00–12:00
    assert dialog.hints.warning_texts == []
    qtbot.keyClicks(dialog.chair.line, "grace chair")
    assert dialog.chair.person_id() == chair
    dialog.update_hints()
    [warning] = dialog.hints.warning_texts
    assert "The chair, Grace Chair" in warning and "Policing table" in warning
    set_slot(dialog, DAY, hour=12)  # starts as the other ends: no clash
    assert dialog.hints.warning_texts == []


def test_venue_clash_and_weekend_warning(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    roundtable(ctx, "Policing table", venue="Hull Hall")
    dialog = dialog_for(qtbot, ctx)
    dialog.venue_edit.setText("hull hall")
    set_slot(dialog, DAY)
    assert any("Hull Hall is already booked" in w for w in dialog.hints.warning_texts)
    set_slot(dialog, SATURDAY)
    assert dialog.hints.warning_texts == [
        "Saturday 13 March 2027 is a weekend day in Europe/London."
    ]
    dialog.undated_check.setChecked(True)
    dialog.update_hints()
    assert dialog.hints.warning_texts == []


def test_time_as_invitees_abroad_see_it(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.services.roundtables import add_invitees

    info = roundtable(ctx, "Global table")
    abroad = person(ctx, "Ama Mensah", "ama@example.org", zone="America/New_York")
    with ctx.db.transaction() as session:
        add_invitees(session, info.id, [abroad])
    dialog = dialog_for(qtbot, ctx, info)
    assert "05:00–07:00 EST in America/New_York (1 invitee)" in dialog.hints.seen.text()


def test_unknown_chair_keeps_ok_disabled(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, ctx)
    qtbot.keyClicks(dialog.title_edit, "Table")
    qtbot.keyClicks(dialog.chair.line, "Nobody Known")
    assert not dialog.ok_button.isEnabled()
    assert dialog.chair_error.text()


def test_conflict_keeps_the_dialog_open_with_nothing_lost(  # type: ignore[no-untyped-def]
    qtbot, with_modal, ctx, no_message_boxes
) -> None:
    info = roundtable(ctx, "Forced labour roundtable")

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        with ctx.db.transaction() as session:  # someone else saves meanwhile
            rts.update_roundtable(session, info.id, info.data, info.version)
        dialog.title_edit.setText("My new title")
        dialog.ok_button.click()
        assert dialog.isVisible()
        assert dialog.title_edit.text() == "My new title"

    with_modal(lambda: open_roundtable_editor(ctx, info.id, None), edit)
    assert no_message_boxes and "Someone else saved" in no_message_boxes[0][1]
    assert ctx.undo_stack.count() == 0


def test_skipped_hour_is_refused_inline(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, ctx)
    dialog.date_edit.set_date(QDate(2027, 3, 28))  # clocks go forward at 01:00 in London
    dialog.start_edit.setTime(QTime(1, 30))
    dialog.zone_combo.setEditText("Europe/London")
    dialog.update_hints()
    assert "does not exist" in dialog.start_error.text()


def test_moving_a_scheduled_roundtable_says_who_needs_an_update(  # type: ignore[no-untyped-def]
    qtbot, with_modal, monkeypatch, ctx, no_message_boxes
) -> None:
    from roundtable_app.services.demo import generate_demo
    from roundtable_app.services.roundtables import View, list_roundtables
    from roundtable_app.ui import messages

    generate_demo(ctx.db, people=150)
    with ctx.db.reading() as session:
        row = next(r for r in list_roundtables(session, View.UPCOMING) if r.invitees)
        assert rts.any_sent(session, row.id)
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(messages, "confirm", confirm)

    def move(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.start_edit.setTime(dialog.start_edit.time().addSecs(3600))
        dialog.ok_button.click()

    with_modal(lambda: open_roundtable_editor(ctx, row.id, None), move)
    told = asked or [text for _title, text in no_message_boxes]
    assert told and "invitees need an update" in told[0]
    assert ctx.undo_stack.undoText() == f"Edit {row.title}"


def type_into(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into ``field``, select what it holds and type ``text``."""
    from PySide6.QtCore import Qt

    target = field.focusProxy() or field
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(target, text)


def test_a_disabled_create_button_says_what_is_missing(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, ctx)
    assert not dialog.ok_button.isEnabled()
    reason = "To create the roundtable: enter a title."
    assert dialog.missing_label.isVisible() and dialog.missing_label.text() == reason
    assert dialog.ok_button.toolTip() == reason
    assert dialog.title_error.isVisible()  # on the field too, as a hint before typing
    assert dialog.title_error.text() == "A roundtable needs a title."
    qtbot.keyClicks(dialog.title_edit, "Maritime labour")
    assert dialog.ok_button.isEnabled()
    assert not dialog.missing_label.isVisible() and dialog.ok_button.toolTip() == ""
    assert not dialog.title_error.isVisible()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(Format.ONLINE.value))
    assert dialog.missing_label.text() == "To create the roundtable: paste the joining link."
    dialog.title_edit.clear()
    assert dialog.title_error.objectName() == "fieldError"  # now an error, not a hint
    assert dialog.ok_button.toolTip() == (
        "To create the roundtable: enter a title; paste the joining link."
    )


def test_the_editor_shows_the_start_of_a_long_title_and_chair(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    chair = person(
        ctx,
        "Professor Alexandra Featherstonehaugh-Montgomery",
        "alexandra.featherstonehaugh-montgomery@institute-of-advanced-legal-studies.example",
    )
    title = (
        "Forced labour in agricultural and seafood supply chains: what evidence do "
        "buyers, regulators and survivors need to act together?"
    )
    info = roundtable(ctx, title, chair_id=chair)
    dialog = dialog_for(qtbot, ctx, info)
    dialog.resize(900, 600)
    qtbot.waitExposed(dialog)
    for edit in (dialog.title_edit, dialog.chair.line):
        assert edit.fontMetrics().horizontalAdvance(edit.text()) > edit.width()  # cut off
        assert edit.cursorPosition() == 0
        assert -4 <= edit.cursorRect().left() < 12  # scrolled to the start of the text


def test_typing_a_date_and_an_impossible_one(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    saved: list[rts.RoundtableData] = []
    dialog = dialog_for(qtbot, ctx, saved=saved)
    qtbot.keyClicks(dialog.title_edit, "Maritime labour")
    type_into(qtbot, dialog.date_edit, "31/02/2027")
    error = dialog.when.date_error
    assert error.isVisible()
    assert error.text() == "'31/02/2027' is not a date: February 2027 has 28 days."
    assert not dialog.ok_button.isEnabled()
    assert dialog.missing_label.text() == "To create the roundtable: fix the date."
    type_into(qtbot, dialog.date_edit, "3 Mar 2027")
    assert not error.isVisible() and dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.date_edit.focusProxy(), Qt.Key.Key_Up)  # a day later
    assert dialog.date_edit.text() == "Thu 4 Mar 2027"
    type_into(qtbot, dialog.date_edit, "15/4/2027")
    qtbot.keyClick(dialog.date_edit.focusProxy(), Qt.Key.Key_Return)  # Enter: Create
    assert dialog.date_edit.text() == "Thu 15 Apr 2027"
    assert not dialog.isVisible()
    [data] = saved
    assert data.starts_at is not None and data.starts_at.date() == dt.date(2027, 4, 15)


def test_the_date_can_be_picked_from_the_calendar(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    dialog = dialog_for(qtbot, ctx)
    field = dialog.date_edit
    qtbot.keyClick(field.focusProxy(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert field.popup.isVisible()
    assert field.calendar.selectedDate() == field.date()
    field.calendar.setSelectedDate(QDate(2027, 5, 3))
    qtbot.keyClick(field.calendar.findChild(QTableView), Qt.Key.Key_Return)
    assert not field.popup.isVisible()
    assert field.text() == "Mon 3 May 2027"
    starts = dialog.data().starts_at
    assert starts is not None and starts.date() == dt.date(2027, 5, 3)
