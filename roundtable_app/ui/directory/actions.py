"""What a user does to people in the directory: add, edit, delete and bulk changes.

Every change runs as an undoable command (:mod:`roundtable_app.ui.directory.commands`); the
page refreshes when the command publishes its changes. Mixed into
:class:`~roundtable_app.ui.directory.page.DirectoryPage`, which provides the
table, the model and the selection helpers used here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QUndoCommand

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes, Person, PersonData
from roundtable_app.services import directory
from roundtable_app.ui import messages
from roundtable_app.ui.directory import commands

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView, QWidget

    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.directory.people_model import PeopleTableModel


class PeopleActions:
    """The person actions of the directory page (a mixin for a ``QWidget``)."""

    ctx: AppContext
    model: PeopleTableModel
    table: QTableView

    if TYPE_CHECKING:  # provided by DirectoryPage

        def selected_ids(self) -> list[int]: ...
        def clear_filters(self) -> None: ...
        def select_ids(self, person_ids: list[int]) -> None: ...

    def _widget(self) -> QWidget:
        """This page as a widget (the parent of its dialogs)."""
        return cast("QWidget", self)

    def new_person(self) -> None:
        def save(data: PersonData) -> None:
            command = commands.AddPersonCommand.execute(self.ctx, data)
            self.ctx.undo_stack.push(command)
            self.select_ids([command.person_id])

        self._run_dialog(save, None)

    def export_current(self) -> None:
        """Edit > Export everything held on this person… (their right of access)."""
        from roundtable_app.ui.privacy import export_person

        selected = self.selected_ids()
        if len(selected) != 1:
            return
        (index,) = self.table.selectionModel().selectedRows()
        export_person(
            self.ctx, self._widget(), selected[0], self.model.row_at(index.row()).full_name
        )

    def erase_current(self) -> None:
        """Edit > Erase person…: the right to be forgotten, for the one person selected."""
        from roundtable_app.ui.privacy import EraseDialog

        selected = self.selected_ids()
        if len(selected) != 1:
            return
        try:
            dialog = EraseDialog(self.ctx, selected[0], self._widget())
        except RoundtableError as exc:  # erased or deleted by a colleague meanwhile
            messages.show_error(self._widget(), "Erase person", str(exc))
            self.ctx.publish(Changes(all_people=True))
            return
        dialog.exec()

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        selected = self.selected_ids()
        if len(selected) == 1:
            self.edit_person(selected[0])
        elif index.isValid() and not selected:
            self.edit_person(self.model.person_id(index.row()))

    def edit_person(self, person_id: int) -> None:
        """Open the edit dialog for ``person_id`` (after reading their latest version)."""
        try:
            with self.ctx.db.reading() as session:
                person = directory.get_person(session, person_id)
        except RoundtableError as exc:
            messages.show_error(self._widget(), "Cannot open this person", str(exc))
            self.ctx.publish(Changes(people=frozenset({person_id})))
            return

        def save(data: PersonData) -> None:
            self.ctx.undo_stack.push(commands.EditPersonCommand.execute(self.ctx, person, data))

        self._run_dialog(save, person)

    def _run_dialog(self, save: Callable[[PersonData], None], person: Person | None) -> None:
        from roundtable_app.ui.directory.person_dialog import PersonDialog

        dialog = PersonDialog(self.ctx, save, person, self._widget())
        dialog.exec()
        other = dialog.open_instead
        dialog.deleteLater()
        if other is not None:
            self.clear_filters()
            self.select_ids([other])
            self.edit_person(other)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            name = self.model.row_at(self.model.view_rows_of(ids)[ids[0]]).full_name
            question = f"Delete {name} from the directory?"
            action = "Delete"
        else:
            question = f"Delete {len(ids):,} people from the directory?"
            action = f"Delete {len(ids):,} people"
        detail = (
            "Their past invitations stay, without their name, for the statistics. "
            "You can undo this with Edit > Undo."
        )
        if not messages.confirm(self._widget(), "Delete people", f"{question}\n\n{detail}", action):
            return
        self._push(lambda: commands.DeletePeopleCommand.execute(self.ctx, ids), "Cannot delete")

    def _themes(self) -> list[str]:
        with self.ctx.db.reading() as session:
            return directory.theme_names(session)

    def bulk_add_interest(self) -> None:
        ids = self.selected_ids()
        theme = messages.choose(
            self._widget(),
            "Add interest",
            f"Interest to add to {commands.people_text(len(ids))}:",
            self._themes(),
            editable=True,
        )
        if ids and theme:
            self._push(
                lambda: commands.BulkAddInterestCommand.execute(self.ctx, ids, theme),
                "Cannot add the interest",
            )

    def bulk_remove_interest(self) -> None:
        ids = self.selected_ids()
        with self.ctx.db.reading() as session:
            held = directory.theme_names_of(session, ids)  # only what someone here has
        if ids and not held:
            messages.show_info(
                self._widget(),
                "Remove interest",
                "The selected person has no interests to remove."
                if len(ids) == 1
                else f"None of the {len(ids):,} selected people has an interest to remove.",
            )
            return
        theme = messages.choose(
            self._widget(),
            "Remove interest",
            f"Interest to remove from {commands.people_text(len(ids))}:",
            held,
        )
        if ids and theme:
            self._push(
                lambda: commands.BulkRemoveInterestCommand.execute(self.ctx, ids, theme),
                "Cannot remove the interest",
            )

    def bulk_set_sector(self) -> None:
        ids = self.selected_ids()
        with self.ctx.db.reading() as session:
            sectors = directory.sector_names(session)
        sector = messages.choose(
            self._widget(),
            "Set sector",
            f"Sector for {commands.people_text(len(ids))}:",
            sectors,
            editable=True,
        )
        if ids and sector:
            self._push(
                lambda: commands.BulkSetSectorCommand.execute(self.ctx, ids, sector),
                "Cannot set the sector",
            )

    def _push(self, execute: Callable[[], QUndoCommand], title: str) -> None:
        try:
            command = execute()
        except RoundtableError as exc:
            messages.show_error(self._widget(), title, str(exc))
            self.ctx.publish(Changes(all_people=True))
            return
        self.ctx.undo_stack.push(command)
