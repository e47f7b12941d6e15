"""The roundtable editor: what, when, where and who chairs, with live scheduling warnings.

Like the person dialog, the dialog does not write itself: ``save`` performs the
edit (as an undoable command) and raises when it cannot; the dialog shows why
and stays open, so nothing typed is lost. :func:`open_roundtable_editor` is the
entry point for the pages (Roundtables, Calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import (
    ConflictError,
    NotFoundError,
    RoundtableError,
    ValidationError,
)
from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.core.validation import clean_name
from roundtable_app.services import directory, roundtables
from roundtable_app.ui import messages
from roundtable_app.ui.common import (
    InterestPicker,
    asks_before_discarding,
    editable_combo,
    error_label,
)
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.roundtables.chair import PersonPicker
from roundtable_app.ui.roundtables.schedule import ScheduleHints, seen_text
from roundtable_app.ui.roundtables.when import WhenFields, with_error
from roundtable_app.ui.settings import (
    DEFAULT_TIME_ZONE,
    ROUNDTABLE_DIALOG_GEOMETRY,
    restore_geometry,
)

HINTS_DELAY_MS = 250
Save = Callable[[roundtables.RoundtableData], None]


@asks_before_discarding
class RoundtableDialog(QDialog):
    """The add/edit form for a roundtable (``info`` None: a new one)."""

    def __init__(
        self,
        ctx: AppContext,
        save: Save,
        info: roundtables.RoundtableInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = info
        self._save = save
        self._title_touched = info is not None
        self.setWindowTitle(f"Edit {info.data.title}" if info else "New roundtable")
        self.setMinimumSize(900, 600)
        with ctx.db.reading() as session:
            themes = directory.theme_names(session)
            series = roundtables.series_names(session)
            people = roundtables.person_choices(session)
            self._invited = roundtables.invited_person_ids(session, info.id) if info else set()
            self._zones = roundtables.invitee_zones(session, info.id) if info else {}
        self._hints_timer = QTimer(self)
        self._hints_timer.setSingleShot(True)
        self._hints_timer.setInterval(HINTS_DELAY_MS)
        self._hints_timer.timeout.connect(self.update_hints)
        self._build(themes, series, people)
        self._fill(info.data if info else None)
        self._connect()
        self._validate()
        self.update_hints()
        restore_geometry(self, ctx.settings, ROUNDTABLE_DIALOG_GEOMETRY, (1040, 720))

    # --- building --------------------------------------------------------------------

    def _build(
        self, themes: list[str], series: list[str], people: list[roundtables.PersonChoice]
    ) -> None:
        self.title_edit = QLineEdit(placeholderText="e.g. Forced labour in supply chains")
        self.title_error = error_label()
        self.series_combo = editable_combo(series, "None, or a series such as Research priorities")
        self.purpose_edit = QPlainTextEdit(placeholderText="Why this roundtable, and for whom")
        self.purpose_edit.setTabChangesFocus(True)
        self.purpose_edit.setFixedHeight(70)
        self.questions_edit = QPlainTextEdit(
            placeholderText="One question per line, e.g.\nWhat works in remediation for workers?"
        )
        self.questions_edit.setTabChangesFocus(True)
        self.questions_edit.setFixedHeight(90)
        self.themes = InterestPicker()
        self.themes.set_available(themes)
        self.themes.new_edit.setPlaceholderText("A new theme, e.g. Maritime labour")
        self.themes.filter_edit.setPlaceholderText("Filter themes")
        self.themes.summary.hide()
        self.themes_summary = QLabel()
        self.themes_summary.setObjectName("hint")
        self.themes_summary.setWordWrap(True)
        self.themes.interests_changed.connect(self._update_themes_summary)

        what = QFormLayout()
        what.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what.addRow("&Title:", with_error(self.title_edit, self.title_error))
        what.addRow("S&eries:", self.series_combo)
        what.addRow("&Purpose:", self.purpose_edit)
        what.addRow("Evidence &questions:", self.questions_edit)
        themes_box = QGroupBox("Themes")
        themes_layout = QVBoxLayout(themes_box)
        themes_layout.addWidget(self.themes, 1)
        themes_layout.addWidget(self.themes_summary)
        left = QVBoxLayout()
        left.addLayout(what)
        left.addWidget(themes_box, 1)

        self.when = WhenFields()
        when = self.when
        self.undated_check, self.date_edit = when.undated_check, when.date_edit
        self.start_edit, self.duration_edit = when.start_edit, when.duration_edit
        self.zone_combo, self.zone_error, self.start_error = (
            when.zone_combo,
            when.zone_error,
            when.start_error,
        )

        self.format_combo = QComboBox()
        for fmt in Format:
            self.format_combo.addItem(fmt.label, fmt.value)
        self.venue_edit = QLineEdit(placeholderText="e.g. Wilberforce Room, Hull")
        self.address_edit = QLineEdit(placeholderText="Street, town, postcode")
        self.link_edit = QLineEdit(placeholderText="https://… (the meeting's joining link)")
        self.link_error = error_label()
        where_box = QGroupBox("Where")
        where = QFormLayout(where_box)
        where.addRow("&Format:", self.format_combo)
        where.addRow("&Venue:", self.venue_edit)
        where.addRow("&Address:", self.address_edit)
        where.addRow("Joining &link:", with_error(self.link_edit, self.link_error))

        self.chair = PersonPicker(people)
        self.chair_error = error_label()
        # A chair who is not invited gets no invitation: offer to invite them (as Chair).
        self.invite_chair_check = QCheckBox("Add to the invitees as Chair")
        self.invite_chair_check.setChecked(True)
        self.invite_chair_check.setToolTip(
            "The chair is not on the invitee list yet, so would get no invitation."
        )
        self.invite_chair_check.hide()
        chair_box = QWidget()
        chair_column = QVBoxLayout(chair_box)
        chair_column.setContentsMargins(0, 0, 0, 0)
        chair_column.setSpacing(2)
        chair_column.addWidget(with_error(self.chair, self.chair_error))
        chair_column.addWidget(self.invite_chair_check)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, 1000)
        self.capacity_spin.setSpecialValueText("No limit")
        self.capacity_spin.setSuffix(" places")
        self.access_edit = QLineEdit(placeholderText="Who invitees contact about access needs")
        who_box = QGroupBox("People")
        who = QFormLayout(who_box)
        who.addRow("&Chair:", chair_box)
        who.addRow("Ca&pacity:", self.capacity_spin)
        who.addRow("Accessibility &contact:", self.access_edit)
        for form in (what, where, who):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        right = QVBoxLayout()
        right.addWidget(self.when)
        right.addWidget(where_box)
        right.addWidget(who_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        self.hints = ScheduleHints()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create roundtable" if self.info is None else "Save")
        # Says why the button is disabled, next to it (and in its tooltip).
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingForSave")
        self.missing_label.setWordWrap(True)
        footer = QHBoxLayout()
        footer.addWidget(self.missing_label, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.hints)
        layout.addLayout(footer)

    def _fill(self, data: roundtables.RoundtableData | None) -> None:
        if data is None:
            zone = self.ctx.settings.get(DEFAULT_TIME_ZONE) or roundtables.DEFAULT_TIME_ZONE
            data = roundtables.RoundtableData(title="", time_zone=zone)
            self.when.set_times(data)
            self.undated_check.setChecked(False)
        else:
            self.when.set_times(data)
        self.title_edit.setText(data.title)
        self.series_combo.setEditText(data.series or "")
        self.purpose_edit.setPlainText(data.purpose)
        self.questions_edit.setPlainText(data.evidence_questions)
        self.themes.set_checked(data.themes)
        self.format_combo.setCurrentIndex(self.format_combo.findData(data.format.value))
        self.venue_edit.setText(data.venue)
        self.address_edit.setText(data.venue_address)
        self.link_edit.setText(data.online_link)
        self.capacity_spin.setValue(data.capacity or 0)
        self.chair.set_person_id(data.chair_id)
        self.access_edit.setText(data.accessibility_contact)
        # setText leaves the cursor at the end: a long title would open scrolled to
        # its end, hiding how it starts.
        for edit in (
            self.title_edit,
            self.venue_edit,
            self.address_edit,
            self.link_edit,
            self.access_edit,
            self.chair.line,
        ):
            edit.setCursorPosition(0)
        self._update_enabled()
        self._update_themes_summary()
        self._update_invite_chair()

    def _connect(self) -> None:
        self.title_edit.textEdited.connect(self._title_edited)
        self.title_edit.textChanged.connect(self._validate)
        self.link_edit.textChanged.connect(self._validate)
        self.zone_combo.editTextChanged.connect(self._validate)
        self.chair.line.textChanged.connect(self._validate)
        self.chair.person_changed.connect(self._update_invite_chair)
        self.when.date_edit.problem_changed.connect(self._validate)
        self.undated_check.toggled.connect(self._validate)
        self.format_combo.currentIndexChanged.connect(self._update_enabled)
        self.format_combo.currentIndexChanged.connect(self._validate)
        for signal in (
            self.when.slot_changed,
            self.venue_edit.textChanged,
            self.format_combo.currentIndexChanged,
            self.chair.person_changed,
        ):
            signal.connect(self._hints_timer.start)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _update_invite_chair(self) -> None:
        chair = self.chair.person_id()
        closed = self.info is not None and self.info.status not in (
            RoundtableStatus.DRAFT,
            RoundtableStatus.SCHEDULED,
        )
        self.invite_chair_check.setVisible(
            chair is not None and chair not in self._invited and not closed
        )

    def invites_chair(self) -> bool:
        """True when saving should put the chair on the invitee list (as Chair)."""
        return not self.invite_chair_check.isHidden() and self.invite_chair_check.isChecked()

    def _update_themes_summary(self) -> None:
        ticked = self.themes.checked()
        self.themes_summary.setText(
            f"Ticked: {', '.join(ticked)}" if ticked else "No themes ticked yet"
        )

    def _title_edited(self) -> None:
        self._title_touched = True

    def _update_enabled(self) -> None:
        fmt = self.format()
        self.venue_edit.setEnabled(fmt != Format.ONLINE)
        self.address_edit.setEnabled(fmt != Format.ONLINE)
        self.link_edit.setEnabled(fmt != Format.IN_PERSON)

    # --- reading the form ------------------------------------------------------------------

    def format(self) -> Format:
        return Format(self.format_combo.currentData())

    def times(self) -> tuple[dt.datetime, dt.datetime] | None:
        """(starts_at, ends_at) in UTC, None when undated; raises ValidationError."""
        return self.when.times()

    def data(self) -> roundtables.RoundtableData:
        """What the form holds now, as the services take it (raises ValidationError)."""
        fmt = self.format()
        times = self.times()
        capacity = self.capacity_spin.value() or None
        return roundtables.RoundtableData(
            title=self.title_edit.text(),
            purpose=self.purpose_edit.toPlainText(),
            themes=self.themes.checked(),
            evidence_questions=self.questions_edit.toPlainText(),
            series=self.series_combo.currentText().strip() or None,
            format=fmt,
            venue=self.venue_edit.text() if fmt != Format.ONLINE else "",
            venue_address=self.address_edit.text() if fmt != Format.ONLINE else "",
            online_link=self.link_edit.text() if fmt != Format.IN_PERSON else "",
            capacity=capacity,
            chair_id=self.chair.person_id(),
            accessibility_contact=self.access_edit.text(),
            starts_at=times[0] if times else None,
            ends_at=times[1] if times else None,
            time_zone=self.when.zone,
        )

    # --- validating, hints and saving -------------------------------------------------------

    def _validate(self) -> bool:
        """Say next to each invalid field, and next to the button, what is missing.

        OK is enabled only when nothing is; its tooltip and the line beside it list
        what to do first, so a disabled button always says why.
        """
        missing: list[str] = []
        if not clean_name(self.title_edit.text()):
            missing.append("enter a title")
            # Before the user has typed, a quiet hint; after, the error itself.
            self._show(
                self.title_error, "A roundtable needs a title.", quiet=not self._title_touched
            )
        else:
            self._show(self.title_error, "")
        link_message = ""
        link = self.link_edit.text().strip()
        if self.format() != Format.IN_PERSON:
            url = QUrl(link, QUrl.ParsingMode.StrictMode)
            if not link:
                link_message = f"An {self.format().label.lower()} roundtable needs a joining link."
                missing.append("paste the joining link")
            elif url.scheme().lower() not in ("http", "https") or not url.host():
                link_message = "Paste the full joining link, starting with https://"
                missing.append("fix the joining link")
        self._show(self.link_error, link_message)
        date_problem = self.when.date_problem()
        if date_problem:
            missing.append("fix the date")
        zone_problem = self.when.zone_problem()
        self._show(self.zone_error, zone_problem)
        if zone_problem:
            missing.append("choose a time zone")
        chair_bad = self.chair.is_unknown()
        self._show(
            self.chair_error,
            "Choose the chair from the directory (type a name)." if chair_bad else "",
        )
        if chair_bad:
            missing.append("choose the chair from the directory")
        ok = not missing
        self.ok_button.setEnabled(ok)
        verb = "create the roundtable" if self.info is None else "save"
        reason = f"To {verb}: {'; '.join(missing)}." if missing else ""
        self.missing_label.setText(reason)
        self.missing_label.setVisible(bool(reason))
        self.ok_button.setToolTip(reason)
        return ok

    @staticmethod
    def _show(label: QLabel, text: str, *, quiet: bool = False) -> None:
        """Show ``text`` under a field: as an error, or ``quiet`` as a hint."""
        name = "hint" if quiet else "fieldError"
        if label.objectName() != name:
            label.setObjectName(name)
            label.style().unpolish(label)
            label.style().polish(label)
        label.setText(text)
        label.setVisible(bool(text))

    def update_hints(self) -> None:
        """Check the slot for clashes and weekends; show times as invitees will see them."""
        self._hints_timer.stop()
        self._show(self.start_error, "")
        zone = self.when.zone
        try:
            times = self.times()
        except ValidationError as exc:
            self._show(self.start_error, str(exc) if exc.field == "starts_at" else "")
            self.hints.show_hints([], None, "")
            return
        if times is None:
            self.hints.show_hints([], None, "")
            return
        starts, ends = times
        with self.ctx.db.reading() as session:
            clashes = roundtables.find_clashes(
                session,
                starts_at=starts,
                ends_at=ends,
                person_ids=self._invited,
                chair_id=self.chair.person_id(),
                venue=self.venue_edit.text(),
                format=self.format(),
                exclude_roundtable=self.info.id if self.info else None,
            )
        weekend = roundtables.weekend_warning(starts, zone)
        zones = {z: n for z, n in self._zones.items() if z != zone}
        self.hints.show_hints(clashes, weekend, seen_text(starts, ends, zones), zone)

    def accept(self) -> None:
        if not self._validate():
            return
        try:
            self._save(self.data())
        except ValidationError as exc:
            label = {
                "title": self.title_error,
                "online_link": self.link_error,
                "time_zone": self.zone_error,
                "starts_at": self.start_error,
                "ends_at": self.start_error,
                "date": self.when.date_error,
                "chair": self.chair_error,
            }.get(exc.field or "")
            if label is None:
                messages.show_error(self, "Cannot save", str(exc))
            else:
                self._show(label, str(exc))
            return
        except (ConflictError, NotFoundError) as exc:
            messages.show_error(self, "Cannot save", str(exc))
            return
        super().accept()

    def done(self, result: int) -> None:
        self.ctx.settings.set(ROUNDTABLE_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)


def open_roundtable_editor(
    ctx: AppContext, roundtable_id: int | None, parent: QWidget | None = None
) -> int | None:
    """Open the editor on ``roundtable_id`` (None: a new roundtable); push the undo command on save.

    Returns the id of the roundtable saved (the new one's), or None when cancelled.

    After saving a scheduled roundtable whose time or place changed, tells the user
    how many invitees need an update and offers to send it.
    """
    from roundtable_app.ui.roundtables.commands import (
        CreateRoundtableCommand,
        EditRoundtableCommand,
    )
    from roundtable_app.ui.roundtables.update import offer_update

    info = None
    if roundtable_id is not None:
        try:
            with ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, roundtable_id)
        except RoundtableError as exc:
            messages.show_error(parent, "Cannot open the roundtable", str(exc))
            return None
    pushed: list[EditRoundtableCommand] = []
    saved: list[int] = []

    def save(data: roundtables.RoundtableData) -> None:
        invite = dialog.invites_chair()
        if info is None:
            created = CreateRoundtableCommand.execute(ctx, data, invite_chair=invite)
            ctx.undo_stack.push(created)
            saved.append(created.roundtable_id)
        else:
            command = EditRoundtableCommand.execute(ctx, info, data, invite_chair=invite)
            ctx.undo_stack.push(command)
            pushed.append(command)
            saved.append(command.roundtable_id)

    dialog = RoundtableDialog(ctx, save, info, parent)
    accepted = dialog.exec()
    dialog.deleteLater()
    if accepted and pushed and pushed[0].edit.sequence_raised:
        offer_update(ctx, pushed[0].edit, parent)
    return saved[-1] if accepted and saved else None
