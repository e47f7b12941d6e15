"""The invitee list: statuses, the mix, adding through the picker, removing, roles."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable_app.core.model import InviteeRole
from roundtable_app.services import roundtables
from roundtable_app.ui import invitations as invitations_ui
from roundtable_app.ui.roundtables import invitees_model as im
from roundtable_app.ui.roundtables.invitees_panel import InviteesPanel


@pytest.fixture
def table_id(demo_ctx) -> int:  # type: ignore[no-untyped-def]
    data = roundtables.RoundtableData(
        title="Forced labour roundtable", themes=("Forced labour in supply chains",), capacity=4
    )
    with demo_ctx.db.transaction() as session:
        return roundtables.create_roundtable(session, data).id


def make_panel(qtbot, ctx, roundtable_id: int) -> InviteesPanel:  # type: ignore[no-untyped-def]
    panel = InviteesPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    panel.set_roundtable(roundtable_id)
    return panel


def contactable(ctx, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from roundtable_app.storage.models import Person

    with ctx.db.reading() as session:
        return list(
            session.scalars(select(Person.id).where(Person.may_contact).order_by(Person.id))
        )[:count]


def names(panel: InviteesPanel) -> list[str]:
    return [panel.model.row_at(r).name for r in range(panel.model.rowCount())]


def test_empty_list_then_add_through_the_picker_updates_the_mix(  # type: ignore[no-untyped-def]
    qtbot, with_modal, ctx, table_id
) -> None:
    panel = make_panel(qtbot, ctx, table_id)
    assert panel.stack.currentWidget() is panel.empty
    assert panel.summary.headline.text() == "No invitees yet."

    def pick_three(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.tabs.currentIndex() == 0
        qtbot.keyClicks(dialog.search_edit, "a")
        dialog._apply_filter()
        for row in range(3):
            dialog.table.selectionModel().select(
                dialog.people.index(row, 0),
                dialog.table.selectionModel().SelectionFlag.Select
                | dialog.table.selectionModel().SelectionFlag.Rows,
            )
        assert dialog.add_button.text() == "Add 3 people"
        assert dialog.capacity_label.isHidden()
        dialog.add_button.click()

    with_modal(panel.add_button.click, pick_three)
    assert panel.model.rowCount() == 3
    assert ctx.undo_stack.undoText() == "Add 3 invitees"
    assert "<b>3 invited</b> for 4 places" in panel.summary.headline.text()
    assert "of 3 pairs have never met" in panel.summary.headline.text()
    statuses = {panel.model.index(r, im.STATUS).data() for r in range(3)}
    assert statuses == {"Not sent"}

    def pick_two_suggested(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.tabs.setCurrentIndex(2)
        assert dialog.suggested.topLevelItemCount() > 2
        for i in range(2):
            dialog.suggested.topLevelItem(i).setCheckState(0, Qt.CheckState.Checked)
        assert "1 over capacity" in dialog.capacity_label.text()
        dialog.add_button.click()

    with_modal(panel.add_button.click, pick_two_suggested)
    assert panel.model.rowCount() == 5
    assert "1 over the capacity of 4." in panel.summary.warnings.text()
    ctx.undo_stack.undo()
    assert panel.model.rowCount() == 3
    assert panel.summary.warnings.isHidden() or "capacity" not in panel.summary.warnings.text()
    ctx.undo_stack.undo()
    assert panel.model.rowCount() == 0


def test_add_everyone_interested_in_a_theme(qtbot, with_modal, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, ctx, table_id)
    chosen: list[int] = []

    def by_interest(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.tabs.setCurrentIndex(1)
        assert dialog.theme_combo.currentText() == "Forced labour in supply chains"
        chosen.extend(dialog.chosen_ids())
        assert chosen
        dialog.add_button.click()

    with_modal(panel.add_people, by_interest)
    assert panel.model.rowCount() == len(chosen)


def test_remove_then_undo_restores_the_same_invitation(qtbot, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, table_id, contactable(ctx, 3))
    panel = make_panel(qtbot, ctx, table_id)
    before = names(panel)
    removed = panel.model.row_at(1)
    panel.table.selectRow(1)
    assert panel.remove_button.isEnabled()
    panel.remove_button.click()
    assert removed.name not in names(panel)
    assert ctx.undo_stack.undoText() == f"Remove {removed.name}"
    ctx.undo_stack.undo()
    assert names(panel) == before
    assert panel.model.row_at(1).invitation_id == removed.invitation_id


def test_removing_someone_already_sent_warns_about_the_cancellation(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, demo_ctx
) -> None:
    ctx = demo_ctx
    from roundtable_app.services.roundtables import View, list_roundtables
    from roundtable_app.ui import messages

    with ctx.db.reading() as session:
        scheduled = next(r for r in list_roundtables(session, View.UPCOMING) if r.invitees)
    panel = make_panel(qtbot, ctx, scheduled.id)
    row = next(
        r for r in range(panel.model.rowCount()) if panel.model.row_at(r).sent_sequence is not None
    )
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    panel.table.selectRow(row)
    panel.remove_selected()
    assert asked and "cancellation" in asked[0]
    withdrawn = [panel.model.row_at(r) for r in range(panel.model.rowCount())]
    assert any(r.withdrawn and r.status_label == "cancellation not sent" for r in withdrawn)


def test_role_change_through_the_model_then_undo(qtbot, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, table_id, contactable(ctx, 2))
    panel = make_panel(qtbot, ctx, table_id)
    index = panel.model.index(0, im.ROLE)
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    name = panel.model.row_at(0).name
    assert panel.model.setData(index, InviteeRole.SPEAKER.value)
    qtbot.waitUntil(lambda: panel.model.index(0, im.ROLE).data() == "Speaker")
    assert ctx.undo_stack.undoText() == f"Make {name} speaker"
    ctx.undo_stack.undo()
    assert panel.model.index(0, im.ROLE).data() == "Participant"


def test_role_delegate_offers_every_role(qtbot, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, table_id, contactable(ctx, 1))
    panel = make_panel(qtbot, ctx, table_id)
    panel.table.edit(panel.model.index(0, im.ROLE))
    from PySide6.QtWidgets import QComboBox

    combo = panel.table.findChild(QComboBox)
    assert combo is not None
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == ["Participant", "Chair", "Speaker", "Note-taker", "Observer"]
    combo.hidePopup()
    combo.setCurrentIndex(4)
    combo.activated.emit(4)  # the user picked "Observer" in the popup
    qtbot.waitUntil(lambda: panel.model.index(0, im.ROLE).data() == "Observer")


def test_send_invitations_opens_the_send_dialog(qtbot, monkeypatch, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, table_id, contactable(ctx, 1))
    panel = make_panel(qtbot, ctx, table_id)
    opened: list[tuple[int, str]] = []

    class Fake:
        def __init__(self, _ctx, roundtable_id, _parent=None, *, method="request", **_options):  # type: ignore[no-untyped-def]
            opened.append((roundtable_id, method))

        def exec(self) -> int:
            return 0

        def deleteLater(self) -> None:
            pass

    monkeypatch.setattr(invitations_ui, "SendInvitationsDialog", Fake)
    assert panel.send_button.isVisible()
    panel.send_button.click()
    assert opened == [(table_id, "request")]


def test_role_of_several_selected_invitees_in_one_step(qtbot, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.add_invitees(session, table_id, contactable(ctx, 3))
    panel = make_panel(qtbot, ctx, table_id)
    panel.table.selectAll()
    panel.set_role_of_selected(InviteeRole.OBSERVER)
    assert ctx.undo_stack.undoText() == "Make 3 invitees observer"
    assert {panel.model.index(r, im.ROLE).data() for r in range(3)} == {"Observer"}
    ctx.undo_stack.undo()
    assert {panel.model.index(r, im.ROLE).data() for r in range(3)} == {"Participant"}


def test_add_a_whole_table_from_a_saved_grouping_plan(qtbot, with_modal, ctx, table_id) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.services import roundtables

    with ctx.db.reading() as session:
        plan = roundtables.saved_plans(session)[0]  # the demo's past roundtables were seated
        seats = roundtables.seated_people(session, plan.roundtable_id)
    first_table = sorted(pid for number, pid in seats if number == 1)
    panel = make_panel(qtbot, ctx, table_id)

    def from_plan(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.tabs.setCurrentIndex(3)
        assert dialog.tabs.tabText(3) == "From a grouping plan"
        assert dialog.plan_combo.currentData() == plan.roundtable_id
        table = dialog.plan_tree.topLevelItem(0)
        assert table.text(0) == "Table 1"
        table.setCheckState(0, Qt.CheckState.Checked)  # ticks everyone at the table
        assert sorted(dialog.chosen_ids()) == first_table
        dialog.add_button.click()

    with_modal(panel.add_people, from_plan)
    with ctx.db.reading() as session:
        invited = roundtables.invited_person_ids(session, table_id)
    assert invited == set(first_table)
    assert ctx.undo_stack.undoText() == f"Add {len(first_table)} invitees"
