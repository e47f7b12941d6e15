"""The first page of the Send invitations dialog: who, what, how, and from whom.

Kept apart from the dialog so each module stays readable. The form reads and
writes the remembered choices (organiser, delivery mode, folders, mail server)
through :class:`~roundtable_app.ui.settings.Settings`; the password is never
stored in the settings, only in the system keyring when the user asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import ValidationError
from roundtable_app.services.invitations import (
    Mode,
    Organiser,
    Security,
    SmtpSettings,
    keyring_password,
)
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import existing_directory

PRIVACY_NOTE = (
    "Each person receives their own invitation; no one sees the other invitees' addresses."
)
_SECURITY_LABELS = (
    (Security.STARTTLS, "STARTTLS (usually port 587)"),
    (Security.TLS, "TLS (usually port 465)"),
    (Security.NONE, "None (not encrypted)"),
)


def keyring_available() -> bool:
    """True when the system has a usable keyring (not on a bare headless Linux)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


@dataclass(frozen=True)
class SendChoices:
    """What the user chose on the form, validated."""

    organiser: Organiser
    mode: Mode
    folder: Path | None
    smtp: SmtpSettings | None
    password: str | None
    remember_password: bool
    only_pending: bool


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class SendForm(QWidget):
    """Who gets the message, how it leaves the app, and the organiser.

    Signals:
        mode_changed(str): the delivery mode changed (the dialog relabels Send).
    """

    mode_changed = Signal(str)

    def __init__(self, settings: keys.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        who = QGroupBox("Who gets it")
        who_layout = QVBoxLayout(who)
        self.summary = QLabel()
        self.summary.setObjectName("sendSummary")
        self.summary.setWordWrap(True)
        self.only_pending = QCheckBox("Only those without the latest version")
        self.only_pending.setChecked(True)
        who_layout.addWidget(self.summary)
        who_layout.addWidget(self.only_pending)
        layout.addWidget(who)

        how = QGroupBox("How")
        how_layout = QVBoxLayout(how)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[Mode, QRadioButton] = {}
        for mode, text, hint in (
            (Mode.ICS_FILES, "Save .ics calendar files to a folder", "Attach them yourself."),
            (
                Mode.EML_DRAFTS,
                "Save e-mail drafts (.eml) to a folder",
                "Each draft opens in your mail program, ready to send.",
            ),
            (Mode.SMTP, "Send through the team's mail server", "Sent straight away (SMTP)."),
        ):
            button = QRadioButton(text)
            button.setToolTip(hint)
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            row = QHBoxLayout()
            row.addWidget(button)
            row.addWidget(_hint(hint), 1)
            how_layout.addLayout(row)
        self.folder_row = QWidget()
        folder_layout = QHBoxLayout(self.folder_row)
        folder_layout.setContentsMargins(22, 0, 0, 0)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("Folder to save the files in")
        browse = QPushButton("Choose…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        folder_layout.addWidget(QLabel("Folder:"))
        folder_layout.addWidget(self.folder, 1)
        folder_layout.addWidget(browse)
        how_layout.addWidget(self.folder_row)
        how_layout.addWidget(self._smtp_box())
        layout.addWidget(how)

        sender = QGroupBox("From")
        sender_form = QFormLayout(sender)
        self.organiser_name = QLineEdit(settings.get(keys.ORGANISER_NAME))
        self.organiser_name.setPlaceholderText("e.g. Events Team")
        self.organiser_email = QLineEdit(settings.get(keys.ORGANISER_EMAIL))
        self.organiser_email.setPlaceholderText("events@example.org")
        sender_form.addRow("Organiser &name:", self.organiser_name)
        sender_form.addRow("Organiser &e-mail:", self.organiser_email)
        layout.addWidget(sender)

        privacy = QLabel(f"<b>Privacy:</b> {PRIVACY_NOTE}")
        privacy.setObjectName("privacyNote")
        privacy.setWordWrap(True)
        privacy.setFrameShape(QFrame.Shape.StyledPanel)
        privacy.setStyleSheet("padding: 6px; background: palette(alternate-base);")
        layout.addWidget(privacy)

        self.error = QLabel()
        self.error.setObjectName("sendError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b42318;")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

        try:
            mode = Mode(settings.get(keys.SEND_MODE))
        except ValueError:
            mode = Mode.ICS_FILES
        self.mode_buttons[mode].setChecked(True)
        self.mode_group.buttonToggled.connect(self._mode_toggled)
        self._show_mode()

    def _smtp_box(self) -> QWidget:
        self.smtp_box = QWidget()
        form = QFormLayout(self.smtp_box)
        form.setContentsMargins(22, 0, 0, 0)
        s = self.settings
        self.smtp_host = QLineEdit(s.get(keys.SMTP_HOST))
        self.smtp_host.setPlaceholderText("smtp.example.org")
        self.smtp_port = QSpinBox()
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(s.get(keys.SMTP_PORT))
        self.smtp_security = QComboBox()
        for security, label in _SECURITY_LABELS:
            self.smtp_security.addItem(label, security.value)
        index = self.smtp_security.findData(s.get(keys.SMTP_SECURITY))
        self.smtp_security.setCurrentIndex(max(index, 0))
        self.smtp_user = QLineEdit(s.get(keys.SMTP_USER))
        self.smtp_user.setPlaceholderText("Leave empty if the server needs no login")
        self.smtp_password = QLineEdit()
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember in the system keyring")
        if keyring_available():
            self.remember.setChecked(True)
            self.smtp_password.setPlaceholderText("Stored in the keyring if left empty")
        else:
            self.remember.setEnabled(False)
            self.remember.setToolTip("This computer has no system keyring.")
            self.smtp_password.setPlaceholderText("Asked each time (no system keyring)")
        server = QHBoxLayout()
        server.addWidget(self.smtp_host, 1)
        server.addWidget(QLabel("Port:"))
        server.addWidget(self.smtp_port)
        form.addRow("Mail server:", server)
        form.addRow("Se&curity:", self.smtp_security)
        form.addRow("&User:", self.smtp_user)
        form.addRow("&Password:", self.smtp_password)
        form.addRow("", self.remember)
        return self.smtp_box

    # --- state --------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        for mode, button in self.mode_buttons.items():
            if button.isChecked():
                return mode
        return Mode.ICS_FILES

    def set_mode(self, mode: Mode) -> None:
        self.mode_buttons[mode].setChecked(True)

    def _folder_setting(self, mode: Mode) -> keys.Setting[str]:
        return keys.LAST_EML_FOLDER if mode == Mode.EML_DRAFTS else keys.LAST_ICS_FOLDER

    def _mode_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._show_mode()
            self.mode_changed.emit(self.mode.value)

    def _show_mode(self) -> None:
        mode = self.mode
        self.folder_row.setVisible(mode != Mode.SMTP)
        self.smtp_box.setVisible(mode == Mode.SMTP)
        if mode != Mode.SMTP:
            self.folder.setText(self.settings.get(self._folder_setting(mode)))

    def _browse(self) -> None:
        folder = existing_directory(
            self, "Save the files in", self.folder.text() or str(Path.home())
        )
        if folder:
            self.folder.setText(folder)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # --- reading the choices ---------------------------------------------------------------

    def choices(self) -> SendChoices:
        """The validated choices; raises :class:`ValidationError` naming what to fix."""
        name = " ".join(self.organiser_name.text().split())
        address = self.organiser_email.text().strip()
        if not name:
            self.organiser_name.setFocus()
            raise ValidationError("Enter the organiser's name (shown as the sender).", "name")
        try:
            organiser = Organiser(name, address)
        except ValidationError:
            self.organiser_email.setFocus()
            raise ValidationError(
                f"'{address}' is not an e-mail address; enter the organiser's "
                "address, e.g. events@example.org.",
                "organiser_email",
            ) from None
        mode = self.mode
        folder: Path | None = None
        smtp: SmtpSettings | None = None
        password: str | None = None
        if mode == Mode.SMTP:
            host = self.smtp_host.text().strip()
            if not host:
                self.smtp_host.setFocus()
                raise ValidationError("Enter the mail server's name, e.g. smtp.example.org.")
            smtp = SmtpSettings(
                host=host,
                port=self.smtp_port.value(),
                security=Security(self.smtp_security.currentData()),
                user=self.smtp_user.text().strip(),
            )
            password = self.smtp_password.text() or None
            if smtp.user and password is None and keyring_password(smtp) is None:
                self.smtp_password.setFocus()
                raise ValidationError(f"Enter the password for {smtp.user} on {smtp.host}.")
        else:
            text = self.folder.text().strip()
            if not text:
                self.folder.setFocus()
                raise ValidationError("Choose a folder to save the files in.")
            folder = Path(text).expanduser()
        return SendChoices(
            organiser=organiser,
            mode=mode,
            folder=folder,
            smtp=smtp,
            password=password,
            remember_password=self.remember.isEnabled() and self.remember.isChecked(),
            only_pending=self.only_pending.isChecked(),
        )

    def save_choices(self, choices: SendChoices) -> None:
        """Remember the organiser, mode, folder and server (never the password)."""
        s = self.settings
        s.set(keys.ORGANISER_NAME, choices.organiser.name)
        s.set(keys.ORGANISER_EMAIL, choices.organiser.email)
        s.set(keys.SEND_MODE, choices.mode.value)
        if choices.folder is not None:
            s.set(self._folder_setting(choices.mode), str(choices.folder))
        if choices.smtp is not None:
            s.set(keys.SMTP_HOST, choices.smtp.host)
            s.set(keys.SMTP_PORT, choices.smtp.port)
            s.set(keys.SMTP_SECURITY, choices.smtp.security.value)
            s.set(keys.SMTP_USER, choices.smtp.user)
        s.sync()
