"""The Discussion window of one roundtable: a tab per table (and the whole room), each
with its four sections, the summary's state, and its lifecycle (final, reopen,
revisions).

Opened from the Roundtables page (Discussion notes…, Ctrl+Shift+D). Edits are
saved as they are typed (:mod:`~roundtable_app.ui.discussion.notebook`); the
window's own undo stack undoes them (Ctrl+Z).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.discussion import NoteKind, SummaryState, evidence_questions
from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.services import directory, discussion, roundtables
from roundtable_app.ui import messages
from roundtable_app.ui.common import ElidedLabel
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.discussion.commands import CallbackCommand
from roundtable_app.ui.discussion.item import NoteItem, Place
from roundtable_app.ui.discussion.notebook import SHORTCUTS, Notebook, Section
from roundtable_app.ui.settings import DISCUSSION_WINDOW_GEOMETRY, restore_geometry

WHOLE_ROOM = "Whole room"
STYLE = """
QLabel#windowTitle { font-size: 13pt; font-weight: 600; color: #2b3a46; }
QLabel#state { font-weight: 600; color: #2b3a46; }
QLabel#saving { color: #5f6b75; }
QLabel#sectionTitle { font-size: 11pt; font-weight: 600; color: #2b3a46; }
QLabel#shortcutHint { color: #5f6b75; border: 1px solid #cfd5db; border-radius: 3px;
    padding: 0 4px; background: #f4f6f8; }
QLabel#emptyHint, QLabel#hint { color: #5f6b75; }
QLabel#bullet { color: #5f6b75; font-size: 12pt; padding-top: 2px; }
QLabel#attribution { color: #7a5a00; padding-left: 14px; }
QLabel#flagText { color: #a93226; }
QLabel#problem { color: #a93226; padding-left: 14px; }
QFrame#conflict { background: #fff4e5; border: 1px solid #f0c36d; border-radius: 4px; }
QFrame#banner { background: #eef4fb; border: 1px solid #b9d0ea; border-radius: 4px; }
QPlainTextEdit#noteText { border: 1px solid transparent; border-radius: 3px;
    background: transparent; }
QPlainTextEdit#noteText:focus { border: 1px solid #7fa7d3; background: #ffffff; }
QWidget#tablePage { background: #ffffff; }
"""


class _UndoKeys(QObject):
    """Ctrl+Z and Ctrl+Shift+Z in any field undo through the window's stack."""

    def __init__(self, window: DiscussionWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                self.window.notebook.undo_stack.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            ):
                self.window.notebook.undo_stack.redo()
                return True
        return False


class DiscussionWindow(QMainWindow):
    """Notes by table and section for one roundtable, saved as they are typed.

    Signals:
        state_changed(): the summary was made final, reopened, or a revision restored.
    """

    state_changed = Signal()

    def __init__(self, ctx: AppContext, roundtable_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("discussionWindow")
        self.setStyleSheet(STYLE)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.notebook = Notebook(ctx, roundtable_id, self)
        self.notebook.structure_changed.connect(self._relink)
        self.notebook.lock_needed.connect(self.reload_state)
        self.notebook.queue.busy_changed.connect(self._show_saving)
        self.notebook.queue.failed.connect(lambda text: self.saving.setText(f"Not saved: {text}"))
        self._undo_keys = _UndoKeys(self)
        self.sections: dict[tuple[int | None, NoteKind], Section] = {}
        self._unbuilt: dict[int, Place] = {}  # tab index -> its table, items not built yet
        self._unbuilt_flags: dict[int, int] = {}  # tab index -> flagged notes not built yet
        self._by_place: dict[tuple[int | None, NoteKind], list[Any]] = {}
        self._tab_of: dict[int | None, int] = {}
        self.state = SummaryState.DRAFT
        self.revision = 1
        self._build()
        self._build_menus()
        self.load()
        if ctx.settings.get(DISCUSSION_WINDOW_GEOMETRY).isEmpty():
            self._first_placement(parent)
        else:
            restore_geometry(self, ctx.settings, DISCUSSION_WINDOW_GEOMETRY, (1000, 760))
        if parent is not None:
            parent.window().installEventFilter(self)

    def _first_placement(self, parent: QWidget | None) -> None:
        """The first time: 1000 x 760 or what the screen has room for, over the main window."""
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        width, height = min(1000, screen.width() - 40), min(760, screen.height() - 60)
        self.resize(width, height)
        centre = parent.window().geometry().center() if parent is not None else screen.center()
        left = max(screen.left(), min(centre.x() - width // 2, screen.right() - width))
        top = max(screen.top() + 30, min(centre.y() - height // 2, screen.bottom() - height))
        self.move(left, top)

    # --- building -------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = ElidedLabel()
        self.heading.setObjectName("windowTitle")
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        self.saving = QLabel()
        self.saving.setObjectName("saving")
        self.final_button = QPushButton("Make final…")
        self.reopen_button = QPushButton("Reopen")
        self.revisions_button = QPushButton("Revisions…")
        self.final_button.clicked.connect(self.make_final)
        self.reopen_button.clicked.connect(self.reopen)
        self.revisions_button.clicked.connect(self.show_revisions)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.saving)
        top.addSpacing(12)
        for button in (self.final_button, self.reopen_button, self.revisions_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            top.addWidget(button)

        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        banner_reopen = QPushButton("Reopen as a new revision")
        banner_reopen.clicked.connect(self.reopen)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(banner_reopen)

        self.hint = QLabel(
            "Type a note and press Enter for the next one; Tab moves through its fields. "
            + " · ".join(f"{SHORTCUTS[k]} {k.label.lower()}" for k in NoteKind)
            + " · Ctrl+PgDown next table. Every change is saved as you type."
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.plan_hint = QLabel()
        self.plan_hint.setObjectName("hint")
        self.plan_hint.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._build_tab)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addWidget(self.plan_hint)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        stack = self.notebook.undo_stack
        summary = self.menuBar().addMenu("&Summary")
        self.final_action = summary.addAction("Make &final…", self.make_final)
        self.reopen_action = summary.addAction("&Reopen", self.reopen)
        summary.addAction("Re&visions…", self.show_revisions)
        summary.addSeparator()
        summary.addAction(
            "Reload", QKeySequence(QKeySequence.StandardKey.Refresh), lambda: self.load()
        )
        summary.addAction("&Close", QKeySequence(QKeySequence.StandardKey.Close), self.close)
        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        go = self.menuBar().addMenu("&Go")
        for kind in NoteKind:
            action = QAction(f"{kind.label}", self)
            action.setShortcut(QKeySequence(SHORTCUTS[kind]))
            action.triggered.connect(lambda _c=False, kind=kind: self.jump_to(kind))
            go.addAction(action)
        go.addSeparator()
        steps = (("Next table", "Ctrl+PgDown", 1), ("Previous table", "Ctrl+PgUp", -1))
        for text, key, step in steps:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _c=False, step=step: self._step_tab(step))
            go.addAction(action)

    # --- loading --------------------------------------------------------------------

    def load(self, *, keep_undo: bool = False) -> None:
        """Read the roundtable's notes and build a tab per table (after saving what is typed).

        The undo stack is cleared (its steps were for the items replaced here),
        unless ``keep_undo`` (a restored revision undone or redone).
        """
        self.notebook.queue.drain()
        try:
            with self.ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, self.roundtable_id)
                tables = discussion.note_tables(session, self.roundtable_id)
                notes = discussion.list_notes(session, self.roundtable_id)
                guard = discussion.roundtable_guard(session, self.roundtable_id)
                themes = directory.theme_names(session)
                present = {
                    table_id: discussion.participants_by_sector(
                        session, self.roundtable_id, table_id
                    )
                    for table_id in [None, *(t.id for t in tables)]
                }
                self.state, self.revision = discussion.summary_state(session, self.roundtable_id)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot open the discussion notes", str(exc))
            return
        title = info.data.title
        self.setWindowTitle(f"Discussion notes — {title}")
        self.heading.setText(title)
        questions = evidence_questions(info.data.evidence_questions)
        current = self.tabs.currentIndex()
        old_pages = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self._unbuilt.clear()
        self.tabs.clear()
        for old in old_pages:
            if old is not None:
                old.deleteLater()
        self.sections.clear()
        self.notebook.live.clear()
        if not keep_undo:
            self.notebook.undo_stack.clear()
        self._by_place = {}
        for note in notes:
            self._by_place.setdefault((note.table_id, note.kind), []).append(note)
        places = [(None, WHOLE_ROOM)] + [(t.id, t.label) for t in tables]
        self._tab_of = {table_id: index for index, (table_id, _l) in enumerate(places)}
        for index, (table_id, label) in enumerate(places):
            # The view never shows lived experience: no such sector to pick (PRODUCT.md).
            sectors = Counter(
                {s: n for s, n in present[table_id].items() if not reveals_lived_experience(s)}
            )
            place = Place(table_id, label, guard, sectors, themes, questions)
            # A table's items are built when its tab is first shown: 200 notes open at once.
            self._unbuilt[index] = place
            self._unbuilt_flags[index] = sum(
                1
                for note in notes
                if note.table_id == table_id and guard.mentions(note.text, note.acknowledged)
            )
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.tabs.addTab(scroll, label)
        self.tabs.setCurrentIndex(current if 0 <= current < self.tabs.count() else 0)
        self._build_tab(self.tabs.currentIndex())
        if not tables:
            self.plan_hint.setText(
                "No seating plan has been saved for this roundtable, so notes go to the "
                "whole room. Save a plan on the Grouping page to take notes table by table."
            )
        self.plan_hint.setVisible(not tables)
        self._show_state()

    def _build_tab(self, index: int) -> None:
        """Build the items of tab ``index`` if they are not yet (on its first showing)."""
        place = self._unbuilt.pop(index, None)
        if place is None:
            return
        self._unbuilt_flags.pop(index, None)
        page = self._page(place, self._by_place)
        scroll = self.tabs.widget(index)
        assert isinstance(scroll, QScrollArea)
        scroll.setWidget(page)
        scroll.page = page  # type: ignore[attr-defined]
        for kind in NoteKind:
            self.sections[(place.table_id, kind)].set_locked(self.notebook.locked)

    def _page(
        self, place: Place, by_place: dict[tuple[int | None, NoteKind], list[Any]]
    ) -> QWidget:
        page = QWidget()
        page.setObjectName("tablePage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 4, 14, 10)
        for kind in NoteKind:
            section = Section(kind, place)
            section.add_button.clicked.connect(lambda _c=False, s=section: self._add_to(s))
            for index, note in enumerate(by_place.get((place.table_id, kind), [])):
                section.insert(self.notebook.make_item(section, note), index)
            self.sections[(place.table_id, kind)] = section
            layout.addWidget(section)
        layout.addStretch(1)
        self._relink(None, page)
        return page

    def _relink(self, _section: object, page: QWidget | None = None) -> None:
        """Tab goes through each item's fields, item after item, section after section."""
        page = page or self.current_page()
        chain: list[QWidget] = []
        for section in page.findChildren(Section):
            for item in section.items:
                chain.extend(item.tab_chain())
                item.editor.installEventFilter(self._undo_keys)
                for field in item.fields:
                    field.installEventFilter(self._undo_keys)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- navigation -----------------------------------------------------------------

    def current_page(self) -> QWidget:
        self._build_tab(self.tabs.currentIndex())
        return self.tabs.currentWidget().page  # type: ignore[attr-defined]

    def current_table_id(self) -> int | None:
        return next(
            (tid for (tid, _k), s in self.sections.items() if s.parent() is self.current_page()),
            None,
        )

    def section(self, kind: NoteKind, table_id: int | None = None) -> Section:
        self._build_tab(self._tab_of[table_id])
        return self.sections[(table_id, kind)]

    def items(self) -> list[NoteItem]:
        return [item for section in self.sections.values() for item in section.items]

    def jump_to(self, kind: NoteKind) -> None:
        """The section shortcut: the cursor in a new item at the end of the section, ready
        to type (the last item itself when it is still empty, or when the summary is
        final), so that typing never runs on into an earlier note."""
        section = self.section(kind, self.current_table_id())
        last = section.items[-1] if section.items else None
        if self.notebook.locked or (last is not None and not last.editor.text().strip()):
            if last is not None:
                last.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
                last.editor.moveCursor(last.editor.textCursor().MoveOperation.End)
        else:
            self.notebook.add_after(last, section)
        self.tabs.currentWidget().ensureWidgetVisible(section)  # type: ignore[attr-defined]

    def _add_to(self, section: Section) -> None:
        if not self.notebook.locked:
            self.notebook.add_after(section.items[-1] if section.items else None, section)

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    # --- state ----------------------------------------------------------------------

    def _show_state(self) -> None:
        final = self.state == SummaryState.FINAL
        self.state_label.setText(f"{'Final' if final else 'Draft'} (revision {self.revision})")
        self.final_button.setVisible(not final)
        self.final_action.setEnabled(not final)
        self.reopen_button.setVisible(final)
        self.reopen_action.setEnabled(final)
        self.banner_text.setText(
            f"This summary is final (revision {self.revision}), so its notes are locked. "
            f"To change them, reopen it: that starts revision {self.revision + 1}, and "
            f"revision {self.revision} is kept."
        )
        self.banner.setVisible(final)
        self.hint.setVisible(not final)
        self.notebook.set_locked(final, self.items())
        for section in self.sections.values():
            section.set_locked(final)
        self._show_saving(self.notebook.queue.busy)

    def _show_saving(self, busy: bool) -> None:
        flagged = sum(1 for item in self.items() if item.mentions)
        flagged += sum(self._unbuilt_flags.values())  # in tabs not shown yet
        failure = self.notebook.queue.last_error
        text = "Saving…" if busy else "All changes saved"
        if failure:
            text = f"Not saved: {failure}"
        if flagged:
            text += f" · {flagged} note{'s' if flagged != 1 else ''} flagged"
        self.saving.setText(text)
        self.saving.setToolTip(
            "A flagged note names a participant or an organisation: replace the name, or "
            "acknowledge it if it is a public source, before making the summary final."
            if flagged
            else "Every change is saved as you type"
        )

    def reload_state(self) -> None:
        try:
            with self.ctx.db.reading() as session:
                self.state, self.revision = discussion.summary_state(session, self.roundtable_id)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot read the summary's state", str(exc))
            return
        self._show_state()

    def make_final(self) -> None:
        """Make the draft final (asks first; refused while a name is flagged); undoable."""
        self.notebook.queue.drain()
        if self.state == SummaryState.FINAL:
            return
        revision = self.revision
        try:
            with self.ctx.db.reading() as session:
                problem = discussion.finalise_problem(session, self.roundtable_id)
        except RoundtableError as exc:
            problem = str(exc)
        if problem is not None:  # said before the question, not after it
            messages.show_error(self, "The summary cannot be made final yet", problem)
            return
        if not messages.confirm(
            self,
            "Make the summary final?",
            f"Revision {revision} will be kept as it is and its notes locked. To change "
            f"them later, reopen it: that starts revision {revision + 1}.",
            "Make final",
        ):
            return
        try:
            with self.ctx.db.transaction() as session:
                discussion.finalise(session, self.roundtable_id, revision)
        except RoundtableError as exc:
            messages.show_error(self, "The summary cannot be made final yet", str(exc))
            self.reload_state()
            return

        def undo() -> None:
            self._run("undo making it final", discussion.undo_finalise, revision)

        def redo() -> None:
            self._run("make it final", discussion.finalise, revision)

        self.notebook.undo_stack.push(
            CallbackCommand(f"Make revision {revision} final", redo, undo)
        )
        self.reload_state()
        self.state_changed.emit()

    def reopen(self) -> None:
        """Unlock a final summary as a new draft revision (the final one is kept)."""
        if self.state != SummaryState.FINAL:
            return
        if self._run("reopen the summary", discussion.reopen, self.revision):
            self.notebook.undo_stack.clear()  # undoing into a final revision would refuse
            self.state_changed.emit()

    def _run(self, what: str, fn: Any, *args: Any) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                fn(session, self.roundtable_id, *args)
        except RoundtableError as exc:
            messages.show_error(self, f"Cannot {what}", str(exc))
            self.reload_state()
            return False
        self.reload_state()
        return True

    def show_revisions(self) -> None:
        from roundtable_app.ui.discussion.revisions import RevisionsDialog

        self.notebook.queue.drain()
        RevisionsDialog(self.ctx, self.roundtable_id, self.restore_revision, self).exec()

    def restore_revision(self, number: int) -> bool:
        """Make final revision ``number`` the new draft (undoable); True when done."""
        self.notebook.queue.drain()
        try:
            with self.ctx.db.transaction() as session:
                before = discussion.restore_revision(session, self.roundtable_id, number)
                after = discussion.current_content(session, self.roundtable_id)
        except RoundtableError as exc:
            messages.show_error(self, f"Cannot restore revision {number}", str(exc))
            return False
        self.load()  # clears the undo stack: its steps were for the notes replaced
        self.notebook.undo_stack.push(
            CallbackCommand(
                f"Restore revision {number}",
                lambda: self._replace(after),
                lambda: self._replace(before),
            )
        )
        self.state_changed.emit()
        return True

    def _replace(self, content: list[dict[str, Any]]) -> None:
        self.notebook.queue.drain()
        self._run("restore those notes", discussion.replace_notes, content)
        self.load(keep_undo=True)

    # --- closing --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Close and watched is not self:
            self.close()  # the main window is closing: save what is typed first
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.notebook.queue.drain()
        self.ctx.settings.set(DISCUSSION_WINDOW_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)


_open: dict[tuple[int, int], DiscussionWindow] = {}


def open_discussion(ctx: AppContext, roundtable_id: int, parent: QWidget) -> DiscussionWindow:
    """Show the roundtable's Discussion window (the one already open, if any)."""
    key = (id(ctx), roundtable_id)
    window = _open.get(key)
    if window is None:
        window = DiscussionWindow(ctx, roundtable_id, parent)
        _open[key] = window
        window.destroyed.connect(lambda _o=None, key=key: _open.pop(key, None))
    window.show()
    window.raise_()
    window.activateWindow()
    return window
