"""What Escape does: it clears a filter box first, and a form asks before losing edits.

Two one-line helpers, so that every page and dialog behaves the same:

- :func:`filter_box` marks a line edit as a filter. The first Escape in it clears
  the text and closes nothing; only an Escape in an empty filter reaches the dialog.
- :func:`asks_before_discarding` decorates a ``QDialog`` subclass. When Escape,
  Cancel or the window's close button would throw away edits, it asks "Discard your
  changes?" (default: keep editing); with nothing changed it closes at once.

"Changed" compares the form's fields with how they were when the dialog first
showed: text in line and text edits, combo boxes, spin and date boxes, check and
radio boxes, and ticked items of list, tree and table widgets. Filter boxes do not
count, nor fields on a page the dialog has moved past (a stacked page not shown,
such as the send dialog's form once the results show); fields on another tab do.
A dialog whose choices live elsewhere passes ``state``, a function of the dialog
returning a comparable value. Programmatic closes (``super().reject()`` inside the
dialog, ``done()``) never ask.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)

FILTER_BOX = "filterBox"
"""The property that marks a filter box (never part of a form's state)."""

D = TypeVar("D", bound=QDialog)
State = Callable[[Any], object]


class _EscapeClears(QObject):
    """Event filter of a filter box: Escape clears its text and goes no further."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QLineEdit)
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and watched.text()
        ):
            event.accept()  # ShortcutOverride: the key is the box's, not a shortcut's
            if event.type() == QEvent.Type.KeyPress:
                watched.clear()
            return True
        return False


def filter_box(edit: QLineEdit) -> QLineEdit:
    """Make ``edit`` a filter box: Escape clears it, and forms ignore its text."""
    edit.setProperty(FILTER_BOX, True)
    edit.installEventFilter(_EscapeClears(edit))
    return edit


def is_filter(widget: QWidget) -> bool:
    return bool(widget.property(FILTER_BOX))


# --- a form's state ------------------------------------------------------------------------


def _item_checks(widget: QWidget) -> tuple[object, ...] | None:
    """The check states of a list, tree or table widget's checkable items."""
    flag = Qt.ItemFlag.ItemIsUserCheckable
    if isinstance(widget, QListWidget):
        items = [widget.item(i) for i in range(widget.count())]
        return tuple((i.text(), i.checkState()) for i in items if i.flags() & flag)
    if isinstance(widget, QTreeWidget):
        checks = []
        iterator = QTreeWidgetItemIterator(widget)
        while (item := iterator.value()) is not None:
            if item.flags() & flag:
                checks.append((item.text(0), item.checkState(0)))
            iterator += 1
        return tuple(checks)
    if isinstance(widget, QTableWidget):
        cells = (
            widget.item(r, c) for r in range(widget.rowCount()) for c in range(widget.columnCount())
        )
        return tuple((i.text(), i.checkState()) for i in cells if i and i.flags() & flag)
    return None


def field_value(widget: QWidget) -> object | None:
    """What a form field holds now (None: ``widget`` is not a field)."""
    if is_filter(widget):
        return None
    if isinstance(widget, QLineEdit):
        inside = widget.parentWidget()
        if widget.isReadOnly() or isinstance(inside, QComboBox | QAbstractSpinBox):
            return None  # the combo or spin box is the field
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText() if widget.isEditable() else widget.currentIndex()
    if isinstance(widget, QAbstractSpinBox):
        return None if widget.isReadOnly() else widget.text()
    if isinstance(widget, QCheckBox | QRadioButton):
        return widget.checkState() if isinstance(widget, QCheckBox) else widget.isChecked()
    return _item_checks(widget)


def _counts(widget: QWidget, dialog: QDialog) -> bool:
    """False for a field on a stacked page the dialog is not showing (tabs still count)."""
    current: QWidget | None = widget
    while current is not None and current is not dialog:
        parent = current.parentWidget()
        if current.isHidden():
            on_tab = isinstance(parent, QStackedWidget) and isinstance(
                parent.parentWidget(), QTabWidget
            )
            if not on_tab:
                return False
        if isinstance(current, QDialogButtonBox):
            return False
        current = parent
    return True


def form_state(dialog: QDialog) -> dict[QWidget, object]:
    """Every field of ``dialog`` with its value."""
    state: dict[QWidget, object] = {}
    for widget in dialog.findChildren(QWidget):
        value = field_value(widget)
        if value is not None:
            state[widget] = value
    return state


_UNKNOWN = object()  # the state could not be read: ask rather than lose anything


def _read_state(dialog: QDialog, state: State | None) -> object:
    try:
        return state(dialog) if state is not None else form_state(dialog)
    except Exception:  # never let a close (a C++ virtual call) fail on a bad state
        return _UNKNOWN


def has_unsaved_changes(dialog: QDialog, baseline: object, state: State | None) -> bool:
    """True if ``dialog`` differs from ``baseline`` in what the user would lose."""
    if baseline is _UNKNOWN:
        return True
    if state is not None:
        now = _read_state(dialog, state)
        return now is _UNKNOWN or bool(now != baseline)
    assert isinstance(baseline, dict)
    for widget, value in baseline.items():
        try:
            now = field_value(widget)
        except RuntimeError:  # the widget is gone (a page rebuilt)
            continue
        if now is not None and now != value and _counts(widget, dialog):
            return True
    return False


# --- the decorator ---------------------------------------------------------------------------


def _guard(cls: type[D], state: State | None) -> type[D]:
    original_show = cls.showEvent
    original_reject = cls.reject

    def showEvent(self: D, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        original_show(self, event)
        if "_form_baseline" not in self.__dict__:
            self.__dict__["_form_baseline"] = _read_state(self, state)

    def reject(self: D) -> None:
        baseline = self.__dict__.get("_form_baseline")
        if baseline is not None and has_unsaved_changes(self, baseline, state):
            from roundtable_app.ui import messages

            if not messages.discard_changes(self):
                return
        original_reject(self)

    showEvent.__doc__ = original_show.__doc__
    reject.__doc__ = "Close without saving; ask first when that would lose edits."
    cls.showEvent = showEvent  # type: ignore[method-assign, assignment]
    cls.reject = reject  # type: ignore[method-assign, assignment]
    return cls


@overload
def asks_before_discarding(cls: type[D], /) -> type[D]: ...
@overload
def asks_before_discarding(*, state: State | None = None) -> Callable[[type[D]], type[D]]: ...


def asks_before_discarding(
    cls: type[D] | None = None, /, *, state: State | None = None
) -> type[D] | Callable[[type[D]], type[D]]:
    """Class decorator: Escape, Cancel and the close button ask before losing edits.

    ``@asks_before_discarding`` compares the dialog's fields;
    ``@asks_before_discarding(state=lambda dialog: ...)`` compares what the
    function returns when the dialog first shows and when it is about to close.
    """
    if cls is not None:
        return _guard(cls, None)
    return lambda klass: _guard(klass, state)
