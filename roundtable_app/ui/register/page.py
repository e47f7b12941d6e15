"""The Evidence needs page: every need raised across roundtables, and the centre's work on it.

The filters choose the needs (read off the GUI thread: 5,000 needs take a
fraction of a second, and only the latest reading is shown); the list ranks
them as the register prints them, a confirmed group as one entry; the panel
beside it follows the current row, however it became current, and edits the
need's status, owner and reference, each change one undoable step. Below the
list, suggested groupings are computed on request. The page reads needs as
``services.register`` gives them: names removed, credit only to sectors that
may be named; it never shows more.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import register
from roundtable_app.services.register import (
    Entry,
    FilterChoices,
    Need,
    NeedChange,
    NeedEdit,
)
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import EmptyState, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.register import commands
from roundtable_app.ui.register.detail import DetailPanel
from roundtable_app.ui.register.export import KINDS, export_register
from roundtable_app.ui.register.filter_bar import FilterBar
from roundtable_app.ui.register.grouping import GroupingSteps
from roundtable_app.ui.register.models import NEED, EntriesModel
from roundtable_app.ui.register.suggestions import SuggestionsPanel
from roundtable_app.ui.workers import Task

SEARCH_DELAY_MS = 200
#: The object name of the Discussion window (ui.discussion), where needs are noted.
DISCUSSION_WINDOW = "discussionWindow"
NO_NEEDS = (
    "They are recorded in a roundtable's Discussion notes (Roundtables page > Discussion "
    "notes…). Every need noted there is listed here, with names removed, ready to group "
    "and track."
)


def _patched(entry: Entry, undo: list[NeedChange], edit: NeedEdit) -> Entry:
    """``entry`` as it is after ``edit`` (new versions from ``undo``), before the reload."""
    versions = {c.id: c.version for c in undo}

    def edited(need: Need) -> Need:
        return dataclasses.replace(
            need,
            version=versions.get(need.id, need.version),
            status=edit.status if edit.status is not None else need.status,
            centre_owner=(
                edit.centre_owner.strip() if edit.centre_owner is not None else need.centre_owner
            ),
            answer_reference=(
                edit.answer_reference.strip()
                if edit.answer_reference is not None
                else need.answer_reference
            ),
        )

    return Entry(tuple(edited(n) for n in entry.needs))


class RegisterPage(GroupingSteps, QWidget):
    """Filters, the ranked list, the current entry, suggested groupings and Export.

    Signals:
        entries_loaded(int): the list shows the needs the filters chose (that many entries).
        suggestions_shown(int): suggested groupings are listed (that many).
        choices_loaded(): the filters offer the series, themes and sectors there are.
    """

    entries_loaded = Signal(int)
    suggestions_shown = Signal(int)
    choices_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        self.any_needs = False
        self._dirty = True
        self._choices_stale = True
        self._asked = 0
        self._current_key: str | None = None
        self._watching_window = False
        self.loading: Task | None = None
        self.suggesting: Task | None = None
        self.last_export: Task | None = None
        self._own_group_change = False
        self._notes_edited = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

        self.filters = FilterBar()
        self.filters.restore(ctx.settings.get(keys.REGISTER_FILTERS))
        self.filters.filters_changed.connect(self._filters_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.load)
        self._typed = self.filters.search.text()

        self.export_button = QToolButton()
        self.export_button.setText("&Export…")
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setToolTip("The register the filters show, as a PDF, CSV or workbook")
        self.export_menu = QMenu(self.export_button)
        for kind, label in (
            ("pdf", "Register as &PDF…"),
            ("csv", "Register as &CSV…"),
            ("xlsx", "Register as &Excel workbook…"),
        ):
            action = self.export_menu.addAction(label)
            action.triggered.connect(lambda _c=False, kind=kind: self.export(kind))
        self.export_button.setMenu(self.export_menu)

        bar = QHBoxLayout()
        bar.addWidget(self.filters, 1)
        bar.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)

        self.notice = QLabel()
        self.notice.setObjectName("registerNotice")
        self.notice.setStyleSheet(
            "#registerNotice { background: #ecfdf3; border: 1px solid #abefc6;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setWordWrap(True)
        self.notice.linkActivated.connect(self._notice_link)
        self.notice.hide()
        self._saved: Path | None = None

        self.model = EntriesModel(self)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setIconSize(QSize(28, 16))  # a grouped need's badge, unscaled
        style_list_table(self.table, {0: 40, 1: 400, 2: 160, 3: 66, 4: 160, 5: 120})
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().restoreState(ctx.settings.get(keys.REGISTER_HEADER_STATE))
        self.table.horizontalHeader().sectionResized.connect(self._save_header)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._save_header)
        self.table.selectionModel().currentChanged.connect(self._current_changed)

        self.detail = DetailPanel()
        self.detail.edit_requested.connect(self.edit_entry)
        self.detail.split_requested.connect(lambda entry: self.split(entry))
        self.detail.leave_requested.connect(self.leave)
        self.suggestions = SuggestionsPanel()
        self.suggestions.run_requested.connect(self.suggest)
        self.suggestions.cancel_requested.connect(self._cancel_suggest)
        self.suggestions.group_requested.connect(self.group)
        self.suggestions.dismiss_requested.connect(self.dismiss)
        self.suggestions.need_chosen.connect(self.select_need)

        # The list takes the page's width (the need's text needs it); the current entry
        # and the suggestions share the space below it.
        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lower_splitter.addWidget(self.detail)
        self.lower_splitter.addWidget(self.suggestions)
        self.lower_splitter.setStretchFactor(0, 1)
        self.lower_splitter.setStretchFactor(1, 1)
        self.lower_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.lower_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 300])
        self.splitter.restoreState(ctx.settings.get(keys.REGISTER_SPLITTER_STATE))
        self.lower_splitter.restoreState(ctx.settings.get(keys.REGISTER_LOWER_SPLITTER_STATE))
        self.splitter.splitterMoved.connect(self._save_splitters)
        self.lower_splitter.splitterMoved.connect(self._save_splitters)

        self.empty = EmptyState()
        self.empty.show_message("Reading the evidence needs…", "", [])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

        self._build_actions()
        ctx.changes_published.connect(self._on_changes)

    def _build_actions(self) -> None:
        self.find_action = QAction("&Find need…", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)
        self.suggest_action = QAction("Suggest &groupings", self)
        self.suggest_action.setStatusTip("Suggest needs raised at different roundtables as one")
        self.suggest_action.triggered.connect(self.suggest)
        self.split_action = QAction("S&plit group", self)
        self.split_action.triggered.connect(lambda: self.split(self.current_entry()))
        self.leave_action = QAction("Remove &from group", self)
        self.leave_action.setStatusTip("Take the need chosen in the panel out of its group")
        self.leave_action.triggered.connect(self.detail._leave)
        self.detail.members.currentItemChanged.connect(lambda *_: self._update_actions())
        self._update_actions()

    def menu_actions(self) -> list[QAction | None]:
        """The Edit menu on this page: find, suggest groupings, split or leave a group."""
        return [self.find_action, None, self.suggest_action, self.split_action, self.leave_action]

    def status_text(self) -> str:
        """``98 evidence needs`` or ``3 evidence needs match the filters`` (a group is one)."""
        if not self.loaded:
            return "Loading…"
        shown = self.model.rowCount()
        needs = f"{shown:,} evidence need{'s' * (shown != 1)}"
        if self.filters.criteria().empty:
            return needs
        return f"{needs} {'matches' if shown == 1 else 'match'} the filters"

    # --- loading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._watching_window:
            self._watching_window = True
            self.window().installEventFilter(self)
        if self._dirty:
            self.load()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Notes are typed in the Discussion window, which publishes no changes (it saves
        # as the user types): once it has had the focus, this page reads the needs again
        # when its own window is active again.
        if new is not None and new.window().objectName() == DISCUSSION_WINDOW:
            self._notes_edited = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.WindowActivate
            and watched is self.window()
            and self._notes_edited
        ):
            self._notes_edited = False
            self._choices_stale = True
            self._dirty = True
            if self.isVisible():
                self.load()
        return False

    def _on_changes(self, changes: Changes) -> None:
        if changes.roundtables or changes.all_roundtables or changes.themes or changes.sectors:
            self._choices_stale = True
        elif not (
            # A person's or an organisation's name is what the guard removes from the text.
            changes.needs
            or changes.need_groups
            or changes.people
            or changes.all_people
            or changes.organisations
        ):
            return
        self._dirty = True
        if self.isVisible():
            self.load()
        if changes.need_groups and self.suggestions.ran and not self._own_group_change:
            self.suggest()  # a group was split or undone: the suggestions change

    def _filters_changed(self) -> None:
        self.ctx.settings.set(keys.REGISTER_FILTERS, self.filters.state())
        typed = self.filters.search.text()
        if typed != self._typed:  # typing: wait for a pause
            self._typed = typed
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.load()

    def load(self) -> Task:
        """Read the needs the filters choose (in the background); the latest reading wins."""
        self._dirty = False
        self._asked += 1
        asked = self._asked
        criteria = self.filters.criteria()
        with_choices = self._choices_stale
        self._choices_stale = False

        def work(_progress: Progress) -> tuple[list[Entry], bool]:
            with self.ctx.db.reading() as session:
                entries = register.entries_of(register.list_needs(session, criteria))
                any_needs = bool(entries) or (
                    not criteria.empty and bool(register.list_needs(session))
                )
            return entries, any_needs

        def done(result: tuple[list[Entry], bool]) -> None:
            if asked == self._asked:
                self._show(*result)
            if with_choices:  # after the rows: they are what the user waits for
                self._load_choices()

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.empty.show_message(
                    "Cannot read the evidence needs",
                    str(exc),
                    [("Try again", lambda: None if self.load() else None)],
                )
                self.stack.setCurrentWidget(self.empty)

        self.loading = self.ctx.run_in_background(work, parent=self, on_done=done, on_error=failed)
        return self.loading

    def _load_choices(self) -> Task:
        """Read what the filters offer (series, themes, sectors) in the background."""

        def work(_progress: Progress) -> FilterChoices:
            with self.ctx.db.reading() as session:
                return register.filter_choices(session)

        def failed(_exc: BaseException) -> None:
            self._choices_stale = True  # the next reading tries again

        def done(choices: FilterChoices) -> None:
            self.filters.set_choices(choices)
            self.choices_loaded.emit()
            if self.ctx.first_time("register.suggestions"):  # the grouping kernel, ahead
                self.ctx.run_in_background(lambda _p: register.warm_up_suggestions(), parent=self)

        return self.ctx.run_in_background(work, parent=self, on_done=done, on_error=failed)

    def _show(self, entries: list[Entry], any_needs: bool) -> None:
        self.loaded = True
        self.any_needs = any_needs
        key = self._current_key
        self.model.set_entries(entries)
        self.export_button.setEnabled(bool(entries))
        if entries:
            self.stack.setCurrentWidget(self.splitter)
            index = self.model.index_of(key) if key else QModelIndex()
            if not index.isValid():
                index = self.model.index(0, NEED)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        else:
            self._current_changed(QModelIndex())
            if any_needs:
                self.empty.show_message(
                    "No evidence need matches these filters",
                    "Other needs are in the register: clear the filters to see every need.",
                    [("Clear filters", self.filters.clear)],
                )
            else:
                self.empty.show_message(
                    "No evidence needs yet",
                    NO_NEEDS,
                    [("Open the Roundtables page", self._show_roundtables)],
                )
            self.stack.setCurrentWidget(self.empty)
        self.entries_loaded.emit(len(entries))

    def _show_roundtables(self) -> None:
        show_page = getattr(self.window(), "show_page", None)
        if callable(show_page):
            show_page("roundtables")

    # --- the current entry ----------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = self.model.entry_at(current.row()) if current.isValid() else None
        if entry is not None:
            self._current_key = entry.key
        self.detail.show_entry(entry)
        self._update_actions()

    def current_entry(self) -> Entry | None:
        index = self.table.currentIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    def select_key(self, key: str) -> bool:
        """Make the entry ``key`` current (False if the filters hide it)."""
        index = self.model.index_of(key)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        return index.isValid()

    def select_need(self, note_id: int) -> bool:
        """Make the entry holding the need ``note_id`` current (a need of a suggestion)."""
        key = self.model.key_of_need(note_id)
        return key is not None and self.select_key(key)

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _update_actions(self) -> None:
        entry = self.detail.entry
        grouped = entry is not None and len(entry.needs) > 1
        self.split_action.setEnabled(grouped)
        self.leave_action.setEnabled(grouped and self.detail.chosen_member() is not None)
        self.suggest_action.setEnabled(self.suggesting is None or not self.suggesting.running)

    # --- editing -------------------------------------------------------------------------

    def edit_entry(self, entry: Entry, edit: NeedEdit) -> bool:
        """Make ``edit`` to every need of ``entry`` (one undoable step); False if refused."""
        seen = [(n.id, n.version) for n in entry.needs]
        try:
            undo = commands.edit_needs(self.ctx, seen, edit)
        except ValidationError as exc:
            self.detail.show_error(str(exc))
            return False
        except RoundtableError as exc:
            messages.show_error(self, "Cannot change the evidence need", str(exc))
            self._choices_stale = True
            self.load()
            return False
        # Shown at once with the new versions (a next edit must not look like a colleague's);
        # the reading the change asked for confirms it.
        patched = _patched(entry, undo, edit)
        self.model.replace(patched)
        if self.detail.entry is not None and self.detail.entry.key == entry.key:
            self.detail.show_entry(patched)
        return True

    # --- export ----------------------------------------------------------------------------

    def export(self, kind: str, path: str | None = None) -> Task | None:
        """Export the register the filters show (``kind``: pdf, csv or xlsx), asking where."""
        self.last_export = export_register(
            self.ctx, self, self.filters.criteria(), kind, path=path, on_saved=self._exported
        )
        return self.last_export

    def _exported(self, target: Path) -> None:
        self._saved = target
        what = KINDS[target.suffix.lstrip(".").lower()][0] if target.suffix else "the register"
        links = ["<a href='open'>open it</a>"]
        if target.suffix.lower() == ".pdf":
            links.append("<a href='preview'>preview it here</a>")
        links.append("<a href='folder'>open the folder</a>")
        self.notice.setText(f"Saved {what} to {target.name}: {' · '.join(links)}.")
        self.notice.show()

    def _notice_link(self, link: str) -> None:
        target = self._saved
        if target is None:
            return
        if link == "preview":
            from roundtable_app.ui.common import PdfPreviewDialog

            dialog = PdfPreviewDialog(target, f"Register: {target.name}", self, what="register")
            try:
                dialog.exec()
            finally:
                dialog.deleteLater()
            return
        place = target if link == "open" else target.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(place)))

    # --- kept in the settings -----------------------------------------------------------------

    def _save_header(self, *_args: object) -> None:
        self.ctx.settings.set(keys.REGISTER_HEADER_STATE, self.table.horizontalHeader().saveState())

    def _save_splitters(self, *_args: object) -> None:
        self.ctx.settings.set(keys.REGISTER_SPLITTER_STATE, self.splitter.saveState())
        self.ctx.settings.set(keys.REGISTER_LOWER_SPLITTER_STATE, self.lower_splitter.saveState())
