"""The widgets a note is typed into: a growing text editor that flags names, and a
button that opens a checkable list (themes, sectors).

The editor is made for typing live: Enter asks for the next item instead of a
new line, Backspace in an empty item asks to remove it, Tab moves on to the
next field, and pasting several lines asks for one item per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from roundtable_app.core.discussion import bulleted_lines
from roundtable_app.ui.common import InterestPicker


class _FlagHighlighter(QSyntaxHighlighter):
    """Underlines the spans of the text that name someone (red wavy line, pale red)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spans: list[tuple[int, int]] = []
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(QColor("#c0392b"))
        self._format.setBackground(QColor("#fde2df"))

    def set_spans(self, spans: list[tuple[int, int]]) -> None:
        if spans != self.spans:
            self.spans = spans
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        start = self.currentBlock().position()
        for begin, end in self.spans:
            if end > start and begin < start + len(text):
                first = max(begin, start) - start
                self.setFormat(first, min(end, start + len(text)) - start - first, self._format)


class NoteEditor(QPlainTextEdit):
    """A note's text: grows with what is typed, never scrolls, flags names.

    Signals:
        text_edited(str): the user changed the text (not :meth:`set_text`).
        next_requested(): Enter: add the next item after this one.
        remove_requested(): Backspace in an empty item.
        lines_pasted(list): several lines were pasted: one item per line.
        left(): focus left the editor.
    """

    text_edited = Signal(str)
    next_requested = Signal()
    remove_requested = Signal()
    lines_pasted = Signal(list)
    left = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the window's undo stack undoes edits
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.highlighter = _FlagHighlighter(self.document())
        self._setting = False
        self._known = ""  # the text last shown or reported: a rehighlight changes nothing
        self.textChanged.connect(self._changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` (a colleague's, an undo) without it counting as typing."""
        if text == self.toPlainText():
            return
        self._setting = True
        self._known = text
        cursor = self.textCursor().position()
        self.setPlainText(text)
        moved = self.textCursor()
        moved.setPosition(min(cursor, len(text)))
        self.setTextCursor(moved)
        self._setting = False

    def _changed(self) -> None:
        # textChanged also fires when the highlighter underlines a name: only a change
        # of the text itself is an edit.
        text = self.toPlainText()
        if not self._setting and text != self._known:
            self._known = text
            self.text_edited.emit(text)

    def _fit(self) -> None:
        lines = max(1, int(self.document().size().height()))
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + 2 * int(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(300, self.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            mods & Qt.KeyboardModifier.ShiftModifier
        ):
            if not self.isReadOnly():
                self.next_requested.emit()
            return
        if key == Qt.Key.Key_Backspace and not self.toPlainText() and not self.isReadOnly():
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        text = source.text() if source.hasText() else ""
        lines = bulleted_lines(text)
        if len(lines) > 1:
            self.lines_pasted.emit(lines)
            return
        if lines and text.strip() != lines[0]:  # one bulleted line: paste it without the bullet
            self.insertPlainText(lines[0])
            return
        super().insertFromMimeData(source)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.left.emit()


class PickerButton(QToolButton):
    """A button naming what is ticked; it opens a filterable, checkable list.

    The list is built when first opened: a roundtable's 200 notes open at once.

    Signals:
        picked(tuple): the ticked names changed (emitted when the list closes).
    """

    picked = Signal(tuple)

    def __init__(self, what: str, filter_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.filter_text = filter_text
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.popup: QFrame | None = None
        self.picker: InterestPicker | None = None
        self.clicked.connect(self.open_list)
        self._choices: list[str] = []
        self._shown: tuple[str, ...] = ()
        self._update_text()

    def set_choices(self, names: Sequence[str]) -> None:
        """Offer ``names``, keeping what is ticked."""
        self._choices = list(names)
        if self.picker is not None:
            self.picker.set_available(self._choices)

    def set_checked(self, names: Iterable[str]) -> None:
        self._shown = tuple(names)
        if self.picker is not None:
            self.picker.set_checked(self._shown)
        self._update_text()

    def checked(self) -> tuple[str, ...]:
        return self._shown

    def _build_popup(self) -> tuple[QFrame, InterestPicker]:
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setFrameShape(QFrame.Shape.StyledPanel)
        picker = InterestPicker(popup)
        picker.filter_edit.setPlaceholderText(self.filter_text)
        for widget in (picker.new_edit, picker.add_button, picker.summary):
            widget.hide()  # only names from the vocabulary: Edit > Vocabulary adds new ones
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(picker)
        popup.resize(300, 260)
        popup.installEventFilter(self)
        picker.set_available(self._choices)
        picker.set_checked(self._shown)
        self.popup, self.picker = popup, picker
        return popup, picker

    def open_list(self) -> None:
        popup, picker = (
            (self.popup, self.picker) if self.popup and self.picker else self._build_popup()
        )
        picker.set_checked(self._shown)
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        picker.filter_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.popup and event.type() == QEvent.Type.Hide:
            self.close_list()
        return False

    def close_list(self) -> None:
        """The list closed: say what is ticked now, if it changed."""
        if self.popup is None or self.picker is None:
            return
        self.popup.hide()
        now = self.picker.checked()
        if set(now) != set(self._shown):
            self._shown = now
            self._update_text()
            self.picked.emit(now)

    def _update_text(self) -> None:
        if not self._shown:
            self.setText(f"{self.what}: none ▾")
        else:
            shown = ", ".join(self._shown)
            if len(shown) > 40:
                shown = f"{len(self._shown)} {self.what.lower()}"
            self.setText(f"{self.what}: {shown} ▾")
        self.setToolTip(
            "\n".join(self._shown) if self._shown else f"Click to pick {self.what.lower()}"
        )
