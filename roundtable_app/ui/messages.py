"""Every message box the app shows, in one place.

Keeping them here gives one tone of voice and lets the tests answer a box by
replacing a function instead of clicking through a modal event loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """An error the user should read; the app carries on."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """Something the user should know; nothing went wrong."""
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, action: str, *, cancel: str | None = None
) -> bool:
    """Ask before something the user might regret; ``action`` labels the yes button.

    Cancel (or ``cancel``, e.g. "Later") is the default button: a stray Enter
    (like Escape) never does the thing the user is being asked about.
    """
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    if cancel is None:
        no = box.addButton(QMessageBox.StandardButton.Cancel)
    else:
        no = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def discard_changes(parent: QWidget | None) -> bool:
    """Ask before closing a form with edits; True if the user chose to discard them.

    "Keep editing" is the default and the Escape button: a second Escape never
    throws the edits away.
    """
    title = parent.windowTitle() if parent is not None else ""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title or "Discard your changes?",
        "Discard your changes?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText("What you changed in this window has not been saved.")
    discard = box.addButton("&Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def duplicate_email(parent: QWidget | None, existing_name: str, email: str) -> bool:
    """Warn that ``existing_name`` has ``email``; True if the user wants to open them."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "E-mail address already used",
        f"{existing_name} already has this e-mail address ({email}).",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        "Open that person to edit them instead, or change the address to save this person."
    )
    open_button = box.addButton(f"Open {existing_name}", QMessageBox.ButtonRole.AcceptRole)
    change = box.addButton("Change address", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(change)
    box.exec()
    return box.clickedButton() is open_button


def about(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.about(parent, title, text)


def choose(
    parent: QWidget | None,
    title: str,
    label: str,
    items: list[str],
    *,
    editable: bool = False,
) -> str | None:
    """Let the user pick one of ``items`` (or type a new one when ``editable``)."""
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getItem(parent, title, label, items, 0, editable)
    value = value.strip() if ok else ""
    return value or None
