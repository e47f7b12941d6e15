"""Choose people to invite: from the directory, by interest, from the suggestions,
or from the tables of a saved grouping plan.

The dialog only chooses; the caller adds the people (as one undoable command)
with :meth:`AddInviteesDialog.chosen_ids` and :meth:`AddInviteesDialog.chosen_role`.
People already on the list are not offered again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.model import InviteeRole, PersonRow
from roundtable_app.services import directory, roundtables
from roundtable_app.ui.common import asks_before_discarding, filter_box
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.directory import PeopleColumn, PeopleTableModel, prepare_rows
from roundtable_app.ui.roundtables.invitees_model import ROLE_LABELS
from roundtable_app.ui.settings import ADD_INVITEES_DIALOG_GEOMETRY, restore_geometry

SUGGESTIONS = 60
FILTER_DELAY_MS = 120
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


def _checkable_tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.header().setStretchLastSection(True)
    tree.setStyleSheet("QTreeWidget::item { padding: 3px 0; }")
    return tree


@asks_before_discarding(state=lambda dialog: (dialog.chosen_ids(), dialog.chosen_role()))
class AddInviteesDialog(QDialog):
    """Ways to pick people, one per tab; the Add button adds the current tab's choice."""

    def __init__(self, ctx: AppContext, roundtable_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        with ctx.db.reading() as session:
            self.info = roundtables.get_roundtable(session, roundtable_id)
            invited = roundtables.invited_person_ids(session, roundtable_id)
            rows = [r for r in directory.list_rows(session) if r.id not in invited]
            themes = directory.theme_names(session)
            sectors = directory.sector_names(session)
            self.suggestions = roundtables.suggest_invitees(session, roundtable_id, SUGGESTIONS)
            self.plans = roundtables.saved_plans(session, exclude=roundtable_id)
        self._rows = {r.id: r for r in rows}
        self.setWindowTitle(f"Add people to {self.info.data.title}")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self._build(rows, themes, sectors)
        self._update_state()
        restore_geometry(self, ctx.settings, ADD_INVITEES_DIALOG_GEOMETRY, (980, 640))

    # --- building --------------------------------------------------------------------

    def _build(self, rows: list[PersonRow], themes: list[str], sectors: list[str]) -> None:
        self.role_combo = QComboBox()
        for role, label in ROLE_LABELS.items():
            if role != InviteeRole.CHAIR:  # one chair, chosen in the editor or the list
                self.role_combo.addItem(label, role.value)
        self.role_combo.setToolTip(
            "The chair is chosen in Edit details… (or give one invitee the Chair role)."
        )
        self.capacity_label = QLabel()
        self.capacity_label.setWordWrap(True)
        self.capacity_label.setStyleSheet("color: #8a5a00;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._directory_tab(rows, sectors), "From the directory")
        self.tabs.addTab(self._interest_tab(themes), "By interest")
        self.tabs.addTab(self._suggested_tab(), f"Suggested ({len(self.suggestions)})")
        if self.plans:  # only where there is a plan to take people from
            self.tabs.addTab(self._plan_tab(), "From a grouping plan")
        self.tabs.currentChanged.connect(self._update_state)

        footer = QHBoxLayout()
        footer.addWidget(QLabel("Invite as:"))
        footer.addWidget(self.role_combo)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.capacity_label)
        layout.addLayout(footer)

    def _directory_tab(self, rows: list[PersonRow], sectors: list[str]) -> QWidget:
        self.people = PeopleTableModel(self)
        self.people.set_prepared(prepare_rows(rows))
        self.search_edit = QLineEdit(
            placeholderText="Search by name, organisation, e-mail or interest"
        )
        self.search_edit.setClearButtonEnabled(True)
        filter_box(self.search_edit)  # Escape clears the search, not the dialog
        self.search_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.sector_combo = QComboBox()
        self.sector_combo.addItems(["All sectors", *sectors])
        self.sector_combo.currentIndexChanged.connect(self._apply_sector)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.table = QTableView()
        self.table.setObjectName("directoryTable")
        self.table.setModel(self.people)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            PeopleColumn.NAME, Qt.SortOrder.AscendingOrder
        )
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (PeopleColumn.EMAIL, PeopleColumn.LAST_ATTENDED):
            self.table.setColumnHidden(column, True)
        for column, width in (
            (PeopleColumn.NAME, 190),
            (PeopleColumn.ORGANISATION, 210),
            (PeopleColumn.SECTOR, 150),
        ):
            header.resizeSection(column, width)
        header.moveSection(
            header.visualIndex(PeopleColumn.LIVED_EXPERIENCE), PeopleColumn.SECTOR + 1
        )
        header.resizeSection(PeopleColumn.LIVED_EXPERIENCE, 150)
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.sector_combo)
        top.addWidget(self.count_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._update_count()
        return page

    def _interest_tab(self, themes: list[str]) -> QWidget:
        own = list(self.info.data.themes)
        self.theme_combo = QComboBox()
        self.theme_combo.addItems([*own, *(t for t in themes if t not in own)])
        if own:
            self.theme_combo.insertSeparator(len(own))
        self.theme_combo.setMinimumContentsLength(28)
        self.interest_label = QLabel()
        self.interest_label.setObjectName("hint")
        self.all_button = QPushButton("Select all")
        self.none_button = QPushButton("Select none")
        self.interested = _checkable_tree(["Name", "Organisation", "Sector"])
        self.interested.setColumnWidth(0, 220)
        self.interested.setColumnWidth(1, 260)
        self.interested.itemChanged.connect(lambda *_a: self._update_state())
        self.theme_combo.currentTextChanged.connect(self._load_interested)
        self.all_button.clicked.connect(lambda: self._check_all(self.interested, True))
        self.none_button.clicked.connect(lambda: self._check_all(self.interested, False))
        top = QHBoxLayout()
        top.addWidget(QLabel("Everyone interested in"))
        top.addWidget(self.theme_combo)
        top.addWidget(self.interest_label, 1)
        top.addWidget(self.all_button)
        top.addWidget(self.none_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.interested, 1)
        self._load_interested(self.theme_combo.currentText())
        return page

    def _suggested_tab(self) -> QWidget:
        self.suggested = _checkable_tree(["Name", "Organisation", "Sector", "Why"])
        for column, width in enumerate((200, 220, 150)):
            self.suggested.setColumnWidth(column, width)
        for s in self.suggestions:
            shares = ", ".join(s.matched)
            item = QTreeWidgetItem([s.name, s.organisation, s.sector, f"Shares: {shares}"])
            item.setData(0, PERSON_ROLE, s.person_id)
            item.setToolTip(3, f"Interests shared with this roundtable: {shares}")
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.suggested.addTopLevelItem(item)
        self.suggested.scrollToTop()
        self.suggested.itemChanged.connect(lambda *_a: self._update_state())
        hint = QLabel(
            "People whose interests match this roundtable's themes, rarest shared themes "
            "first; ties favour sectors the list has fewest of."
            if self.info.data.themes
            else "Give the roundtable themes (Edit details…) to get suggestions."
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.suggested, 1)
        return page

    def _plan_tab(self) -> QWidget:
        self.plan_combo = QComboBox()
        for plan in self.plans:
            when = plan.starts_at.strftime("%d %b %Y") if plan.starts_at else "no date"
            self.plan_combo.addItem(
                f"{plan.title} ({when}) · {plan.tables} tables, {plan.seated} people",
                plan.roundtable_id,
            )
        self.plan_tree = QTreeWidget()
        self.plan_tree.setHeaderLabels(["Name", "Organisation", "Sector"])
        self.plan_tree.setUniformRowHeights(True)
        self.plan_tree.setAlternatingRowColors(True)
        self.plan_tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for column, width in enumerate((240, 260)):
            self.plan_tree.setColumnWidth(column, width)
        self.plan_tree.itemChanged.connect(lambda *_a: self._update_state())
        self.plan_label = QLabel()
        self.plan_label.setObjectName("hint")
        self.plan_combo.currentIndexChanged.connect(self._load_plan)
        top = QHBoxLayout()
        top.addWidget(QLabel("Plan of:"))
        top.addWidget(self.plan_combo, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.plan_tree, 1)
        self._load_plan()
        return page

    def _load_plan(self) -> None:
        """Fill the tree with the chosen plan's tables; tick a table to take all of it."""
        self.plan_tree.blockSignals(True)
        self.plan_tree.clear()
        roundtable_id = self.plan_combo.currentData()
        seats: list[tuple[int, int]] = []
        if roundtable_id is not None:
            with self.ctx.db.reading() as session:
                seats = roundtables.seated_people(session, int(roundtable_id))
        tables: dict[int, QTreeWidgetItem] = {}
        already = 0
        for number, person_id in seats:
            row = self._rows.get(person_id)
            if row is None:  # already on this roundtable's list
                already += 1
                continue
            table = tables.get(number)
            if table is None:
                table = QTreeWidgetItem([f"Table {number}"])
                table.setFlags(table.flags() | Qt.ItemFlag.ItemIsAutoTristate)
                table.setCheckState(0, Qt.CheckState.Unchecked)
                tables[number] = table
                self.plan_tree.addTopLevelItem(table)
            item = QTreeWidgetItem([row.full_name, row.organisation, row.sector])
            item.setData(0, PERSON_ROLE, row.id)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            table.addChild(item)
        self.plan_tree.expandAll()
        self.plan_tree.blockSignals(False)
        text = "Tick a table to invite everyone who sat at it, or tick people one by one."
        if already:
            text += f" {already} of them are already on this roundtable's list."
        self.plan_label.setText(text)
        self._update_state()

    def _plan_ids(self) -> list[int]:
        ids = []
        for table in self._items(self.plan_tree):
            for i in range(table.childCount()):
                child = table.child(i)
                if child is not None and child.checkState(0) == Qt.CheckState.Checked:
                    ids.append(int(child.data(0, PERSON_ROLE)))
        return ids

    # --- behaviour -------------------------------------------------------------------

    def _apply_filter(self) -> None:
        self.people.set_text_filter(self.search_edit.text())
        self._update_count()
        self._update_state()

    def _apply_sector(self, index: int) -> None:
        self.people.set_sector_filter(self.sector_combo.itemText(index) if index > 0 else None)
        self._update_count()
        self._update_state()

    def _update_count(self) -> None:
        shown, total = self.people.shown_count, self.people.total_count
        self.count_label.setText(
            f"{total:,} people not yet invited"
            if shown == total
            else f"{shown:,} of {total:,} shown"
        )

    def _load_interested(self, theme: str) -> None:
        self.interested.blockSignals(True)
        self.interested.clear()
        ids: list[int] = []
        if theme:
            with self.ctx.db.reading() as session:
                ids = roundtables.people_interested_in(session, theme)
        available = [self._rows[i] for i in ids if i in self._rows]
        for row in sorted(available, key=lambda r: r.full_name.casefold()):
            item = QTreeWidgetItem([row.full_name, row.organisation, row.sector])
            item.setData(0, PERSON_ROLE, row.id)
            item.setCheckState(0, Qt.CheckState.Checked)
            self.interested.addTopLevelItem(item)
        self.interested.blockSignals(False)
        already = len(ids) - len(available)
        text = f"{len(available)} not yet invited"
        if already:
            text += f" ({already} already invited)"
        self.interest_label.setText(text)
        self._update_state()

    @staticmethod
    def _check_all(tree: QTreeWidget, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in AddInviteesDialog._items(tree):
            item.setCheckState(0, state)

    @staticmethod
    def _items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
        items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    @staticmethod
    def _checked_ids(tree: QTreeWidget) -> list[int]:
        return [
            int(item.data(0, PERSON_ROLE))
            for item in AddInviteesDialog._items(tree)
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def chosen_ids(self) -> list[int]:
        """The people chosen on the current tab."""
        tab = self.tabs.currentIndex()
        if tab == 0:
            rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
            return [self.people.person_id(r) for r in rows]
        if tab == 1:
            return self._checked_ids(self.interested)
        if tab == 2:
            return self._checked_ids(self.suggested)
        return self._plan_ids()

    def chosen_role(self) -> InviteeRole:
        """The role the chosen people are invited with."""
        return InviteeRole(self.role_combo.currentData())

    def _update_state(self) -> None:
        count = len(self.chosen_ids())
        self.add_button.setEnabled(count > 0)
        self.add_button.setText(
            "Add" if count == 0 else f"Add {count} {'person' if count == 1 else 'people'}"
        )
        with self.ctx.db.reading() as session:
            warning = roundtables.capacity_warning(session, self.roundtable_id, count)
        self.capacity_label.setText(f"⚠ {warning}" if warning else "")
        self.capacity_label.setVisible(bool(warning))

    def done(self, result: int) -> None:
        self.ctx.settings.set(ADD_INVITEES_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)
