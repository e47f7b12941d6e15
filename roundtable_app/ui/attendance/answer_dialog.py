"""Record an answer given by hand: by phone, in an e-mail's text, in person.

The dialog only asks; the attendance window records the answer as an
undoable command. Keyboard first: Alt+A, Alt+D, Alt+T, Alt+N pick the answer,
the combo says how it came, Enter records it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.model import Response, ResponseChannel
from roundtable_app.ui.common import asks_before_discarding

ANSWERS = (
    (Response.ACCEPTED, "&Accepted"),
    (Response.DECLINED, "&Declined"),
    (Response.TENTATIVE, "&Tentative"),
    (Response.NEEDS_ACTION, "&No answer yet"),
)
#: How an answer given by hand came; a calendar reply is read from its file instead.
CHANNELS = (
    ResponseChannel.PHONE,
    ResponseChannel.EMAIL,
    ResponseChannel.IN_PERSON,
    ResponseChannel.OTHER,
)


@asks_before_discarding
class AnswerDialog(QDialog):
    """Pick the answer someone gave and how it came (:meth:`answer`)."""

    def __init__(
        self,
        name: str,
        current: tuple[Response, ResponseChannel | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record {name}'s answer")
        self.setMinimumWidth(440)  # the title (their name) shows whole
        heading = QLabel(f"What did {name} answer, and how did the answer come?")
        heading.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[Response, QRadioButton] = {}
        answers = QVBoxLayout()
        answers.setSpacing(4)
        for response, label in ANSWERS:
            button = QRadioButton(label)
            self.group.addButton(button)
            self.buttons[response] = button
            answers.addWidget(button)
        self.channel_combo = QComboBox()
        for channel in CHANNELS:
            self.channel_combo.addItem(channel.label, channel.value)
        response, came = current
        # The answer they gave so far is the starting point; a new one is usually a yes.
        start = response if response != Response.NEEDS_ACTION else Response.ACCEPTED
        self.buttons[start].setChecked(True)
        found = self.channel_combo.findData(came.value) if came is not None else -1
        self.channel_combo.setCurrentIndex(max(found, 0))
        self.group.buttonToggled.connect(lambda *_a: self._update_state())

        form = QFormLayout()
        form.addRow("Answer:", answers)
        self.channel_label = QLabel("&How it came:")
        self.channel_label.setBuddy(self.channel_combo)
        form.addRow(self.channel_label, self.channel_combo)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record answer")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.box)
        self._update_state()
        self.buttons[start].setFocus()

    def _update_state(self) -> None:
        answered = self.response() != Response.NEEDS_ACTION
        self.channel_combo.setEnabled(answered)
        self.channel_label.setEnabled(answered)

    def response(self) -> Response:
        return next(r for r, b in self.buttons.items() if b.isChecked())

    def channel(self) -> ResponseChannel:
        return ResponseChannel(self.channel_combo.currentData())

    def answer(self) -> tuple[Response, ResponseChannel]:
        """The answer chosen, and how it came."""
        return self.response(), self.channel()
