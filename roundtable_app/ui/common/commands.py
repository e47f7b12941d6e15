"""The base of every undoable edit: service calls in a transaction, then a refresh.

A command's first ``redo`` is a no-op: the page already did the work (and
showed any error) before pushing the command. Later undo and redo steps run
the command's ``_undo``/``_redo``; a step that the data no longer allows (a
colleague changed or deleted the record meanwhile) is reported, and the
command drops out of the stack instead of leaving it inconsistent.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.ui.context import AppContext


class ServiceCommand(QUndoCommand):
    """An edit whose undo and redo are service calls.

    Subclasses define ``_redo`` and ``_undo``: each does its work in its own
    transaction and returns the :class:`Changes` it made (or ``None`` for the
    command's :meth:`changes`).
    """

    _redo: Callable[[], Changes | None]
    _undo: Callable[[], Changes | None]

    def __init__(self, ctx: AppContext, text: str, *, refresh_on_error: Changes) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._refresh_on_error = refresh_on_error
        self._first_redo = True

    def changes(self) -> Changes:
        """What a step changed when ``_redo``/``_undo`` do not say."""
        return self._refresh_on_error

    def redo(self) -> None:
        if self._first_redo:  # the page already did the work
            self._first_redo = False
            return
        self._guarded("redo", self._redo)

    def undo(self) -> None:
        self._guarded("undo", self._undo)

    def _guarded(self, what: str, step: Callable[[], Changes | None]) -> None:
        try:
            changes = step()
        except RoundtableError as exc:
            self._drop(what, str(exc))
            return
        self.ctx.publish(changes if changes is not None else self.changes())

    def _drop(self, what: str, why: str) -> None:
        """Say why the step cannot be done and drop the command from the stack."""
        self.setObsolete(True)
        self.ctx.report_error(f"Cannot {what} “{self.text()}”", why)
        self.ctx.publish(self._refresh_on_error)
