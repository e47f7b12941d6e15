"""Print a roundtable's summary: a few options, then the PDF preview (Print…, Save as PDF or Word).

The summary is what :func:`~roundtable_app.services.discussion.build_summary`
decided may be said (names removed, small sectors withheld, the participant
list only by consent); this module only asks what to include and shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import discussion, reports
from roundtable_app.ui import messages
from roundtable_app.ui.common import OtherFormat, open_file_name, preview_pdf
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import CENTRE_LOGO, CENTRE_NAME


class SummaryOptionsDialog(QDialog):
    """What goes into the summary: the participant list (off), the centre's name and logo."""

    def __init__(
        self, ctx: AppContext, title: str, state: str, flagged: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Print summary: {title}")
        self.setMinimumWidth(520)
        about = QLabel(state)
        about.setWordWrap(True)
        self.participants = QCheckBox("Include the list of participants who agreed to be named")
        self.participants.setToolTip(
            "Names and organisations of those who consented to be named, and no one else"
        )
        self.centre_name = QLineEdit(ctx.settings.get(CENTRE_NAME))
        self.centre_name.setPlaceholderText("Printed above the title, e.g. the centre's name")
        self.logo = Path(ctx.settings.get(CENTRE_LOGO)) if ctx.settings.get(CENTRE_LOGO) else None
        self.logo_label = QLabel()
        self.choose_logo = QPushButton("Choose…")
        self.remove_logo = QPushButton("Remove")
        self.choose_logo.clicked.connect(self._choose_logo)
        self.remove_logo.clicked.connect(lambda: self._set_logo(None))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(self.choose_logo)
        logo_row.addWidget(self.remove_logo)
        form = QFormLayout()
        form.addRow("Centre's name:", self.centre_name)
        form.addRow("Logo:", logo_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.preview_button = buttons.addButton("Preview…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.preview_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        if flagged:
            warning = QLabel(
                f"{flagged} note{'s' if flagged != 1 else ''} still name"
                f"{'s' if flagged == 1 else ''} a participant or an organisation: the summary "
                "prints “a participant” or “an organisation” instead. Replace the names in "
                "the notes before making the summary final."
            )
            warning.setWordWrap(True)
            warning.setObjectName("summaryNamesWarning")
            layout.addWidget(warning)
        layout.addWidget(self.participants)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._set_logo(self.logo)
        self.participants.setFocus()

    def _set_logo(self, path: Path | None) -> None:
        self.logo = path
        self.logo_label.setText(path.name if path else "None")
        self.logo_label.setToolTip(str(path) if path else "")
        self.remove_logo.setEnabled(path is not None)

    def _choose_logo(self) -> None:
        start = str(self.logo.parent if self.logo else Path.home())
        chosen = open_file_name(
            self, "Choose the centre's logo", start, "Images (*.png *.jpg *.jpeg)"
        )
        if chosen:
            self._set_logo(Path(chosen))

    def branding(self) -> reports.Branding:
        return reports.Branding(self.centre_name.text().strip(), self.logo)

    def accept(self) -> None:
        self.ctx.settings.set(CENTRE_NAME, self.centre_name.text().strip())
        self.ctx.settings.set(CENTRE_LOGO, str(self.logo) if self.logo else "")
        super().accept()


def print_summary(ctx: AppContext, roundtable_id: int, parent: QWidget | None) -> bool:
    """Ask what to include, then preview the summary (Print…, Save as PDF or Word).

    False, having said why, if there is nothing to summarise or it could not be made.
    """
    try:
        with ctx.db.reading() as session:
            notes = [n for n in discussion.list_notes(session, roundtable_id) if n.text.strip()]
            probe = discussion.build_summary(session, roundtable_id)
            flagged = len(discussion.note_flags(session, roundtable_id))
    except RoundtableError as exc:
        messages.show_error(parent, "Cannot print the summary", str(exc))
        return False
    if not notes:
        messages.show_info(
            parent,
            "No notes to summarise",
            f"No discussion notes have been recorded for '{probe.title}' yet. Add the notes "
            "of each table in the Discussion view, then print the summary.",
        )
        return False
    state = (
        f"Draft, revision {probe.revision}: every page is marked “Draft” until the summary "
        "is made final."
        if probe.draft
        else f"Final, revision {probe.revision}."
    )
    dialog = SummaryOptionsDialog(ctx, probe.title, state, flagged, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        with_participants = dialog.participants.isChecked()
        branding = dialog.branding()
    finally:
        dialog.deleteLater()
    try:
        with ctx.db.reading() as session:
            content = discussion.build_summary(
                session, roundtable_id, with_participants=with_participants
            )
    except RoundtableError as exc:
        messages.show_error(parent, "Cannot print the summary", str(exc))
        return False
    word = OtherFormat(
        "Word documents",
        ".docx",
        lambda tmp: reports.write_summary_docx(content, tmp, branding),
    )
    return preview_pdf(
        parent,
        lambda path: reports.write_summary_pdf(content, path, branding),
        reports.summary_file_name(content),
        f"Summary: {content.title}",
        "summary",
        others=(word,),
    )
