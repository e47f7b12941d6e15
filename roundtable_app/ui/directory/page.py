"""The people directory: a fast table with filters, and the actions on people.

Rows are loaded on a worker thread (about a second at 100,000 people) while the
page already shows; afterwards, a change to a few people reloads only them.
Every edit goes through an undoable command (:mod:`roundtable_app.ui.directory.commands`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes, Person, PersonRow
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.core.progress import Progress
from roundtable_app.services import directory
from roundtable_app.ui.common import EmptyState, filter_box
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.directory import people_model as pm
from roundtable_app.ui.directory.actions import PeopleActions
from roundtable_app.ui.directory.people_table import (
    FIRST_SCREEN,
    fit_people_columns,
    setup_people_table,
)
from roundtable_app.ui.privacy import PrivacyActions
from roundtable_app.ui.settings import DIRECTORY_HEADER_STATE

ALL_SECTORS = "All sectors"
ALL_INTERESTS = "All interests"
KEYS_AFTER_MS = 100  # build the filters' keys this long after the rows show
RELOAD_ALL_ABOVE = 200  # beyond this many changed people, reload the whole directory
"""Share of the free width per text column when there is no saved header state."""


def _row_from(person: Person, last_attended: dt.datetime | None) -> PersonRow:
    data = person.data
    return PersonRow(
        id=person.id,
        full_name=data.full_name,
        organisation=data.organisation or "",
        sector=data.sector or "",
        interests=pm.INTEREST_SEPARATOR.join(sorted(data.interests, key=str.lower)),
        email=data.email or "",
        lived_experience=data.lived_experience,
        last_attended=last_attended,
    )


class DirectoryPage(PeopleActions, QWidget):
    """The table of people with its filter bar and person actions.

    Signals:
        counts_changed(total, shown): how many people there are and how many are shown.
        rows_shown(): names are on screen: the first screen of a large directory, or
            all of a (re)load.
        rows_loaded(): a (re)load of the rows finished.
        import_requested(): the user asked to import a spreadsheet (empty state button).
    """

    counts_changed = Signal(int, int)
    rows_shown = Signal()
    rows_loaded = Signal()
    import_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = pm.PeopleTableModel(self)
        self.loaded = False
        self._first_screen = False  # the first names show, the whole list still loads
        self._generation = 0
        self._last_attended: dict[int, dt.datetime | None] = {}
        self._keys_timer = QTimer(self)
        self._keys_timer.setSingleShot(True)
        self._keys_timer.setInterval(KEYS_AFTER_MS)
        self._keys_timer.timeout.connect(self._build_search_keys)
        self._build()
        self._build_actions()
        self._connect()
        self.reload_vocabulary()
        self._show_sensitive(self.ctx.sensitive_shown)
        self._update_state()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_edit = QLineEdit(
            placeholderText="Filter by name, organisation, e-mail or interest"
        )
        self.filter_edit.setClearButtonEnabled(True)
        filter_box(self.filter_edit)  # Escape clears it
        self.filter_edit.setMinimumWidth(180)
        self.sector_combo = QComboBox()
        self.sector_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sector_combo.setMinimumContentsLength(12)
        self.interest_combo = QComboBox()
        self.interest_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.interest_combo.setMinimumContentsLength(16)
        self.new_button = QPushButton("New person")
        self.edit_button = QPushButton("Edit")
        self.delete_button = QPushButton("Delete")
        # A push button with a menu, like its neighbours: the style leaves room for the
        # arrow (a text-only QToolButton drew it over the last letters).
        self.bulk_button = QPushButton("Bulk change")

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.sector_combo)
        bar.addWidget(self.interest_combo)
        bar.addSpacing(12)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.bulk_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self._widths_pending = setup_people_table(self.table, self.ctx.settings)
        self.table.setSortingEnabled(True)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    def _action(
        self, text: str, slot: Callable[[], object], shortcuts: Iterable[QKeySequence] = ()
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(list(shortcuts))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.new_action = self._action("&New person…", self.new_person, [key("Ctrl+N")])
        self.edit_action = self._action("&Edit person…", self.edit_current, [key("F2")])
        self.delete_action = self._action(
            "&Delete", self.delete_selected, [key(key.StandardKey.Delete)]
        )
        self.export_person_action = self._action(
            "E&xport everything held on them…", self.export_current
        )
        self.erase_action = self._action("E&rase person…", self.erase_current)
        self.privacy = PrivacyActions(self.ctx, self, "person", self._one_selected, people=True)
        self.select_all_action = self._action(
            "Select &all", self.table.selectAll, [key(key.StandardKey.SelectAll)]
        )
        self.find_action = self._action("&Find…", self.focus_filter, [key(key.StandardKey.Find)])
        self.sensitive_action = self._action("Show &sensitive details", self._sensitive_toggled)
        self.sensitive_action.setCheckable(True)
        self.sensitive_action.setChecked(self.ctx.sensitive_shown)
        self.bulk_add_action = self._action("Add interest…", self.bulk_add_interest)
        self.bulk_remove_action = self._action("Remove interest…", self.bulk_remove_interest)
        self.bulk_sector_action = self._action("Set sector…", self.bulk_set_sector)
        # Delete and Select all act on the table only, so they never steal keys from
        # the filter box; they are also added to the window's Edit menu.
        for action in (self.delete_action, self.select_all_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        self.addAction(self.find_action)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for sequence in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.edit_current)
        # One menu for the Bulk change button and the Edit menu's Bulk change submenu.
        self.bulk_menu = QMenu("&Bulk change", self)
        self.bulk_menu.addAction(self.bulk_add_action)
        self.bulk_menu.addAction(self.bulk_remove_action)
        self.bulk_menu.addAction(self.bulk_sector_action)
        self.bulk_button.setMenu(self.bulk_menu)

    def _fit_columns_once(self) -> None:
        """On first start (no remembered widths), fit the columns once the page has its size."""
        if self._widths_pending and self.isVisible():
            self._widths_pending = False
            self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.model.rowCount():  # rows arrived while the page was not shown yet
            self._fit_columns_once()

    def fit_columns(self) -> None:
        """Give the short columns their title's width and share the rest out."""
        # The table may still be hidden behind "Loading…": measure the stack it sits in.
        fit_people_columns(self.table, self.stack.width())

    def _one_selected(self) -> tuple[int, str] | None:
        """The one person selected (id, name), for their History."""
        rows = self.table.selectionModel().selectedRows() if self.loaded else []
        if len(rows) != 1:
            return None
        row = self.model.row_at(rows[0].row())
        return row.id, row.full_name

    def _show_sensitive(self, shown: bool) -> None:
        """The lived-experience column, and a sector or interest that says it (in the
        table and the filters), shown only when staff chose to see them."""
        self.table.setColumnHidden(pm.LIVED_EXPERIENCE, not shown)
        self.model.set_masked(not shown)
        header = self.table.horizontalHeader()
        if not shown and header.sortIndicatorSection() == pm.LIVED_EXPERIENCE:
            # Sorted by the column now hidden: by name instead, as a new window starts.
            header.setSortIndicator(pm.NAME, Qt.SortOrder.AscendingOrder)

    def _sensitive_toggled(self) -> None:
        """Edit > Show sensitive details: for this session only, and audited when shown."""
        from roundtable_app.services import privacy

        shown = self.sensitive_action.isChecked()
        if shown:
            with self.ctx.db.transaction() as session:
                privacy.record_sensitive_shown(session, "People page")
        self.ctx.sensitive_shown = shown
        self._show_sensitive(shown)
        self.reload_vocabulary()

    def menu_actions(self) -> list[QAction | None]:
        """The page's actions for the window's Edit menu (``None`` is a separator)."""
        return [
            self.new_action,
            self.edit_action,
            self.delete_action,
            self.export_person_action,
            self.erase_action,
            None,
            *self.privacy.actions(),
            None,
            self.select_all_action,
            self.find_action,
            self.sensitive_action,
            None,
            self.bulk_menu.menuAction(),
        ]

    def _connect(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.sector_combo.currentIndexChanged.connect(self._on_sector)
        self.interest_combo.currentIndexChanged.connect(self._on_interest)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        self.model.counts_changed.connect(self.counts_changed)
        self.model.modelReset.connect(self._update_state)
        self.ctx.changes_published.connect(self.apply_changes)

    # --- loading ---------------------------------------------------------------------

    def reload(self, *, background: bool = True) -> None:
        """Load every row again (F5), keeping selection and scroll position."""
        self._generation += 1
        generation = self._generation
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        db = self.ctx.db
        masked = self.model.masked

        def load(_progress: Progress) -> pm.PreparedRows:
            with db.reading() as session:
                rows = directory.list_rows(session)
            # Show the rows first; the filters' keys follow from another worker.
            return pm.prepare_rows(rows, column, order, with_keys=not background, masked=masked)

        def done(prepared: pm.PreparedRows) -> None:
            if generation == self._generation:
                self._show_prepared(prepared)
                if prepared.keys is None:
                    self._schedule_search_keys()

        if not background:
            done(load(Progress()))
            return

        def load_all() -> None:
            self.ctx.run_in_background(
                load,
                parent=self,
                on_done=done,
                on_error=lambda exc: self.ctx.report_error("Cannot load the directory", str(exc)),
            )

        if self.loaded or self._first_screen:
            load_all()
            return
        self.empty.show_message("Loading people…", "", [])
        self.stack.setCurrentWidget(self.empty)
        if (column, order) != (pm.NAME, Qt.SortOrder.AscendingOrder):
            load_all()
            return

        # A large directory takes a second or two to load whole: show the first
        # screen of names at once, then the rest.
        def load_first(_progress: Progress) -> pm.PreparedRows:
            with db.reading() as session:
                rows = directory.list_rows(session, first=FIRST_SCREEN)
            return pm.prepare_rows(rows, column, order, with_keys=False, masked=masked)

        def first_done(prepared: pm.PreparedRows) -> None:
            if generation == self._generation and not self.loaded:
                self.show_first_screen(prepared)
            load_all()

        self.ctx.run_in_background(
            load_first, parent=self, on_done=first_done, on_error=lambda _e: load_all()
        )

    def show_first_screen(self, rows: pm.PreparedRows | list[PersonRow]) -> None:
        """Show the first names of a directory still loading (the whole list follows)."""
        if isinstance(rows, pm.PreparedRows):
            prepared = rows
        else:
            prepared = pm.prepare_rows(rows, pm.NAME, with_keys=False, masked=self.model.masked)
        if self.loaded or not prepared.rows:
            return
        self._first_screen = True
        self.model.set_prepared(prepared)
        self.stack.setCurrentWidget(self.table)
        self._fit_columns_once()
        self.rows_shown.emit()

    def _schedule_search_keys(self) -> None:
        # Shortly after the rows are painted: the worker would hold the GIL meanwhile.
        self._keys_timer.start()

    def _build_search_keys(self) -> None:
        if self.model.has_search_keys:
            return  # a filter needed them first
        rows = self.model.shared_rows()
        self.ctx.run_in_background(
            lambda _p: pm.search_keys(rows),
            parent=self,
            on_done=lambda keys: self.model.set_search_keys(rows, keys),
        )

    def _show_prepared(self, prepared: pm.PreparedRows) -> None:
        keep = self._remember_view()
        self.loaded = True  # before the model announces its counts: they are final now
        self.model.set_prepared(prepared)
        self._last_attended = {r.id: r.last_attended for r in prepared.rows}
        self._restore_view(keep)
        self._update_state()
        self._fit_columns_once()
        self.rows_shown.emit()
        self.rows_loaded.emit()

    def reload_vocabulary(self) -> None:
        """Refill the sector and interest filters, keeping the current choice."""
        with self.ctx.db.reading() as session:
            sectors = directory.sector_names(session)
            themes = directory.theme_names(session)
        if not self.ctx.sensitive_shown:  # a filter by it would pick them out
            sectors = [name for name in sectors if not reveals_lived_experience(name)]
            themes = [name for name in themes if not reveals_lived_experience(name)]
        self._refill(self.sector_combo, ALL_SECTORS, sectors)
        self._refill(self.interest_combo, ALL_INTERESTS, themes)

    @staticmethod
    def _refill(combo: QComboBox, everything: str, names: list[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything)
        combo.addItems(names)
        index = combo.findText(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if index < 0 and current and current != everything:
            combo.currentIndexChanged.emit(0)  # the filtered-on name disappeared

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touched: a few rows, or the whole directory."""
        if changes.themes or changes.sectors:
            self.reload_vocabulary()
        if not (changes.people or changes.all_people) or not self.loaded:
            return
        if changes.all_people or len(changes.people) > RELOAD_ALL_ABOVE:
            self.reload()
            return
        updated: dict[int, PersonRow | None] = {}
        with self.ctx.db.reading() as session:
            for person_id in changes.people:
                try:
                    person = directory.get_person(session, person_id)
                except RoundtableError:
                    updated[person_id] = None
                    continue
                updated[person_id] = _row_from(person, self._last_attended.get(person_id))
        keep = self._remember_view()
        self.model.apply_row_changes(updated)
        self._restore_view(keep)
        self._update_state()
        if not self.model.has_search_keys:
            self._schedule_search_keys()

    # --- keeping selection and scroll position ----------------------------------------------

    def _remember_view(self) -> tuple[list[int], int | None, int | None]:
        selected = [
            self.model.person_id(i.row()) for i in self.table.selectionModel().selectedRows()
        ]
        current = self.table.currentIndex()
        current_id = self.model.person_id(current.row()) if current.isValid() else None
        top_row = self.table.rowAt(0)
        top_id = self.model.person_id(top_row) if 0 <= top_row < self.model.shown_count else None
        return selected, current_id, top_id

    def _restore_view(self, keep: tuple[list[int], int | None, int | None]) -> None:
        selected, current_id, top_id = keep
        wanted = [*selected, *(i for i in (current_id, top_id) if i is not None)]
        rows = self.model.view_rows_of(wanted)
        if top_id in rows:
            self.table.scrollTo(
                self.model.index(rows[top_id], 0), QAbstractItemView.ScrollHint.PositionAtTop
            )
        self.select_ids(selected, current_id, rows=rows, scroll=False)

    def select_ids(
        self,
        person_ids: Iterable[int],
        current_id: int | None = None,
        *,
        rows: dict[int, int] | None = None,
        scroll: bool = True,
    ) -> None:
        """Select the rows of ``person_ids`` that are shown."""
        ids = list(person_ids)
        rows = rows if rows is not None else self.model.view_rows_of([*ids, current_id or -1])
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in sorted(rows[i] for i in ids if i in rows):
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag
        model = self.table.selectionModel()
        model.select(selection, flags.ClearAndSelect | flags.Rows)
        current = current_id if current_id in rows else next((i for i in ids if i in rows), None)
        if current is not None:
            model.setCurrentIndex(self.model.index(rows[current], 0), flags.NoUpdate)
            if scroll:
                self.table.scrollTo(self.model.index(rows[current], 0))

    # --- filters ---------------------------------------------------------------------

    def set_filter_text(self, text: str) -> None:
        self.filter_edit.setText(text)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filters(self) -> None:
        self.filter_edit.clear()
        self.sector_combo.setCurrentIndex(0)
        self.interest_combo.setCurrentIndex(0)

    def _on_filter_text(self, text: str) -> None:
        self.model.set_text_filter(text)

    def _on_sector(self, index: int) -> None:
        self.model.set_sector_filter(self.sector_combo.itemText(index) if index > 0 else None)

    def _on_interest(self, index: int) -> None:
        self.model.set_interest_filter(self.interest_combo.itemText(index) if index > 0 else None)

    # --- state ---------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.person_id(r) for r in rows]

    def _update_state(self) -> None:
        if not self.loaded:
            return
        count = len(self.table.selectionModel().selectedRows()) if self.model.shown_count else 0
        self.edit_action.setEnabled(count == 1)
        self.edit_button.setEnabled(count == 1)
        self.erase_action.setEnabled(count == 1)
        self.export_person_action.setEnabled(count == 1)
        self.privacy.update_state()
        for action in (self.delete_action, self.delete_button, self.bulk_button):
            action.setEnabled(count > 0)
        for action in (self.bulk_add_action, self.bulk_remove_action, self.bulk_sector_action):
            action.setEnabled(count > 0)
        self.delete_button.setText("Delete" if count <= 1 else f"Delete {count:,}")
        if self.model.total_count == 0:
            self.empty.show_message(
                "No people yet — add a person or import a spreadsheet",
                "Spreadsheets and mailing-list exports (CSV or Excel) can be imported as they are.",
                [
                    ("New person", self.new_person),
                    ("Import spreadsheet…", self.import_requested.emit),
                ],
            )
            self.stack.setCurrentWidget(self.empty)
        elif self.model.shown_count == 0:
            text = self.filter_edit.text().strip()
            title = f"No one matches '{text}'" if text else "No one matches these filters"
            self.empty.show_message(
                title,
                "Check the spelling, or clear the filter to see everyone.",
                [("Clear filter", self.clear_filters)],
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)

    def save_state(self) -> None:
        """Remember column widths, order and sorting."""
        self.ctx.settings.set(DIRECTORY_HEADER_STATE, self.table.horizontalHeader().saveState())
