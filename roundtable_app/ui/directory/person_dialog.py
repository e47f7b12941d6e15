"""Add or edit one person, validating as the user types.

The dialog does not write to the database itself: the caller passes ``save``,
which performs the edit (as an undoable command) and raises when it cannot.
The dialog shows why and stays open, so the user loses nothing they typed.
A sector, organisation or interest that does not exist yet is marked as
typed, and on save the dialog asks once whether to create it or use the
closest existing name (see :mod:`.new_values`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import (
    ConflictError,
    DuplicateEmailError,
    NotFoundError,
    ValidationError,
)
from roundtable_app.core.model import ConsentMethod, Person, PersonData
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.core.validation import clean_name, email_problem, normalise_email
from roundtable_app.services import directory
from roundtable_app.ui import messages
from roundtable_app.ui.common import (
    InterestPicker,
    asks_before_discarding,
    editable_combo,
    error_label,
    time_zones,
)
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.directory.new_values import (
    NewValue,
    NewValuesDialog,
    find_new,
    new_value_hint,
    new_value_label,
)
from roundtable_app.ui.settings import PERSON_DIALOG_GEOMETRY, restore_geometry

SECTOR = directory.VocabularyKind.SECTOR
INTEREST = directory.VocabularyKind.INTEREST
ORGANISATION = directory.VocabularyKind.ORGANISATION


@asks_before_discarding
class PersonDialog(QDialog):
    """The add/edit form for a person.

    After ``exec()``, ``open_instead`` holds the id of another person the user
    chose to open (their e-mail address was the same), or ``None``.
    """

    def __init__(
        self,
        ctx: AppContext,
        save: Callable[[PersonData], None],
        person: Person | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person = person
        self._save = save
        self.open_instead: int | None = None
        self._name_touched = person is not None
        self.setWindowTitle(f"Edit {person.data.full_name}" if person else "New person")
        self.setMinimumSize(820, 580)

        #: New values the user already chose to create (asked once, not on every save).
        self._approved: set[tuple[directory.VocabularyKind, str]] = set()
        self._known = self._read_known()
        self._build(self._known[INTEREST], self._known[SECTOR], self._known[ORGANISATION])
        if person is not None:
            self._fill(person.data)
        self._connect()
        self._validate()
        self._mark_new()
        restore_geometry(self, ctx.settings, PERSON_DIALOG_GEOMETRY, (940, 640))

    # --- building --------------------------------------------------------------------

    def _build(self, themes: list[str], sectors: list[str], organisations: list[str]) -> None:
        self.name_edit = QLineEdit(placeholderText="Full name, as the person writes it")
        self.name_error = error_label()
        self.email_edit = QLineEdit(placeholderText="name@example.org")
        self.email_error = error_label()
        self.organisation_combo = editable_combo(organisations, "Organisation")
        self.role_edit = QLineEdit(placeholderText="Job title or role")
        self.sector_combo = editable_combo(sectors, "Choose or type a sector")
        self.time_zone_combo = editable_combo(time_zones(), "e.g. Europe/London (optional)")
        self.time_zone_error = error_label()

        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.addRow("&Name:", self._with_error(self.name_edit, self.name_error))
        self.display_name_edit = QLineEdit(
            placeholderText="A chosen name, printed instead of the full name (optional)"
        )
        self.display_name_edit.setToolTip(
            "Calendar files, e-mails, sign-in sheets, table plans and summaries use this "
            "name instead of the full name; the directory keeps both."
        )
        details.addRow("Known &as:", self.display_name_edit)
        details.addRow("&E-mail:", self._with_error(self.email_edit, self.email_error))
        self.organisation_new = new_value_label()
        self.sector_new = new_value_label()
        details.addRow(
            "&Organisation:", self._with_error(self.organisation_combo, self.organisation_new)
        )
        details.addRow("&Role:", self.role_edit)
        self.sector_hidden = QLabel("Hidden with the sensitive details")
        self.sector_hidden.setObjectName("hint")
        self.sector_hidden.hide()
        details.addRow(
            "&Sector:", self._with_error(self.sector_combo, self.sector_new, self.sector_hidden)
        )
        details.addRow("&Time zone:", self._with_error(self.time_zone_combo, self.time_zone_error))

        self.lived_experience_check = QCheckBox("Has lived experience of modern slavery")
        self.may_contact_check = QCheckBox("May be &contacted about roundtables")
        self.may_be_named_check = QCheckBox("May be na&med in summaries")
        self.contact_how = self._how_combo("How they gave or withdrew consent to be contacted")
        self.named_how = self._how_combo("How they gave or withdrew consent to be named")
        self.contact_when, self.named_when = QLabel(), QLabel()
        for label in (self.contact_when, self.named_when):
            label.setObjectName("hint")
            # As wide as its longest text, so that the form does not shift as it changes.
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("Withdrawn 30 Sep 2026 "))
        consent = QGroupBox("Consent and inclusion")
        consent_layout = QGridLayout(consent)
        consent_layout.addWidget(self.lived_experience_check, 0, 0, 1, 3)
        for row, (check, how, when) in enumerate(
            (
                (self.may_contact_check, self.contact_how, self.contact_when),
                (self.may_be_named_check, self.named_how, self.named_when),
            ),
            start=1,
        ):
            consent_layout.addWidget(check, row, 0)
            consent_layout.addWidget(how, row, 1)
            consent_layout.addWidget(when, row, 2)
        consent_layout.setColumnStretch(1, 1)

        self.accessibility_edit = QLineEdit(placeholderText="e.g. step-free access, captions")
        self.dietary_edit = QLineEdit(placeholderText="e.g. vegetarian, nut allergy")
        self.contact_via_edit = QLineEdit(placeholderText="Support organisation or worker")
        self.contact_via_email_edit = QLineEdit(placeholderText="Their e-mail address")
        self.contact_via_email_edit.setToolTip(
            "Invitations go to this address instead of the person's own."
        )
        self.contact_via_error = error_label()
        needs = QGroupBox("Needs and support")
        needs_layout = QFormLayout(needs)
        needs_layout.addRow("&Accessibility:", self.accessibility_edit)
        needs_layout.addRow("&Dietary:", self.dietary_edit)
        needs_layout.addRow("Contact &through:", self.contact_via_edit)
        needs_layout.addRow(
            "Their e-ma&il:", self._with_error(self.contact_via_email_edit, self.contact_via_error)
        )

        left = QVBoxLayout()
        left.addLayout(details)
        left.addWidget(consent)
        left.addWidget(needs)
        # Lived experience and needs only when staff chose to see them this session; kept
        # as they are when hidden, so that saving other details never changes them.
        self.sensitive_hidden = QLabel(
            "Lived experience and needs are hidden. To see them, choose Edit > Show "
            "sensitive details on the People page."
        )
        self.sensitive_hidden.setWordWrap(True)
        left.addWidget(self.sensitive_hidden)
        shown = self.ctx.sensitive_shown
        self.lived_experience_check.setVisible(shown)
        needs.setVisible(shown)
        self.sensitive_hidden.setVisible(not shown)
        left.addStretch(1)

        self.interests = InterestPicker()
        if not self.ctx.sensitive_shown:
            self.interests.withhold(reveals_lived_experience)
        self.interests.set_available(themes)
        interests_box = QGroupBox("Interests")
        interests_layout = QVBoxLayout(interests_box)
        interests_layout.addWidget(self.interests)
        self.interests_new = new_value_label()
        interests_layout.addWidget(self.interests_new)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addWidget(interests_box, 4)

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Notes for the events team")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(84)
        notes_label = QLabel("N&otes:")
        notes_label.setBuddy(self.notes_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add person" if self.person is None else "Save")

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes_edit)
        layout.addWidget(self.buttons)

    @staticmethod
    def _how_combo(tip: str) -> QComboBox:
        combo = QComboBox()
        for method in ConsentMethod:
            combo.addItem(method.label, method.value)
        combo.setToolTip(tip)
        combo.setAccessibleName(tip)
        return combo

    @staticmethod
    def _when_text(given: bool, at: dt.datetime | None) -> str:
        if at is None:
            return "Date not recorded"
        day = at.astimezone().strftime("%d %b %Y").lstrip("0")
        return f"{'Given' if given else 'Withdrawn'} {day}"

    def _consent_changed(self) -> None:
        """Say that a changed consent is recorded from the moment of saving."""
        before = self.person.data if self.person else None
        for check, how, when, given, was_how, at in (
            (
                self.may_contact_check,
                self.contact_how,
                self.contact_when,
                before.may_contact if before else None,
                before.contact_consent_how if before else None,
                before.contact_consent_at if before else None,
            ),
            (
                self.may_be_named_check,
                self.named_how,
                self.named_when,
                before.may_be_named if before else None,
                before.named_consent_how if before else None,
                before.named_consent_at if before else None,
            ),
        ):
            unchanged = (check.isChecked(), how.currentData()) == (given, was_how)
            when.setText(
                self._when_text(check.isChecked(), at) if unchanged else "Recorded when saved"
            )

    @staticmethod
    def _with_error(field: QWidget, error: QLabel, *more: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for widget in (field, error, *more):
            column.addWidget(widget)
        return box

    def _fill(self, data: PersonData) -> None:
        self.name_edit.setText(data.full_name)
        self.display_name_edit.setText(data.display_name or "")
        self.contact_via_edit.setText(data.contact_via or "")
        self.contact_via_email_edit.setText(data.contact_via_email or "")
        self.contact_how.setCurrentIndex(
            max(0, self.contact_how.findData(data.contact_consent_how))
        )
        self.named_how.setCurrentIndex(max(0, self.named_how.findData(data.named_consent_how)))
        self.email_edit.setText(data.email or "")
        self.organisation_combo.setEditText(data.organisation or "")
        self.role_edit.setText(data.role or "")
        self.sector_combo.setEditText(data.sector or "")
        # A sector that says lived experience is kept as it is, but not shown, while
        # sensitive details are hidden.
        masked = not self.ctx.sensitive_shown and reveals_lived_experience(data.sector)
        self.sector_combo.setVisible(not masked)
        self.sector_hidden.setVisible(masked)
        self.time_zone_combo.setEditText(data.time_zone or "")
        self.interests.set_checked(data.interests)
        self.lived_experience_check.setChecked(data.lived_experience)
        self.may_contact_check.setChecked(data.may_contact)
        self.may_be_named_check.setChecked(data.may_be_named)
        self.accessibility_edit.setText(data.accessibility_needs)
        self.dietary_edit.setText(data.dietary_needs)
        self.notes_edit.setPlainText(data.notes)

    def _connect(self) -> None:
        if self.person is None:  # a new person starts with the model's defaults
            defaults = PersonData(full_name="")
            self.may_contact_check.setChecked(defaults.may_contact)
            self.may_be_named_check.setChecked(defaults.may_be_named)
        for check in (self.may_contact_check, self.may_be_named_check):
            check.toggled.connect(self._consent_changed)
        for combo in (self.contact_how, self.named_how):
            combo.currentIndexChanged.connect(self._consent_changed)
        self._consent_changed()
        self.contact_via_email_edit.textChanged.connect(self._validate)
        self.name_edit.textEdited.connect(self._name_edited)
        self.name_edit.textChanged.connect(self._validate)
        self.email_edit.textChanged.connect(self._validate)
        self.time_zone_combo.editTextChanged.connect(self._validate)
        self.organisation_combo.editTextChanged.connect(self._mark_new)
        self.sector_combo.editTextChanged.connect(self._mark_new)
        self.interests.interests_changed.connect(self._mark_new)
        self.organisation_new.linkActivated.connect(self.organisation_combo.setEditText)
        self.sector_new.linkActivated.connect(self.sector_combo.setEditText)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _name_edited(self) -> None:
        self._name_touched = True

    # --- new sectors, organisations and interests ----------------------------------------

    def _read_known(self) -> dict[directory.VocabularyKind, list[str]]:
        with self.ctx.db.reading() as session:
            return {
                kind: directory.names(session, kind) for kind in (SECTOR, INTEREST, ORGANISATION)
            }

    def _new_values(self, data: PersonData) -> list[NewValue]:
        """The values in ``data`` that match no existing entry, sector first."""
        typed = [(SECTOR, data.sector), (ORGANISATION, data.organisation)]
        typed += [(INTEREST, name) for name in data.interests]
        found = [find_new(kind, name or "", self._known[kind]) for kind, name in typed]
        return [value for value in found if value is not None]

    def _mark_new(self) -> None:
        """Say under each field whose value does not exist yet that it will be created."""
        for kind, combo, label in (
            (SECTOR, self.sector_combo, self.sector_new),
            (ORGANISATION, self.organisation_combo, self.organisation_new),
        ):
            text = new_value_hint(find_new(kind, combo.currentText(), self._known[kind]))
            label.setText(text)
            label.setVisible(bool(text))
        known = {name.lower() for name in self._known[INTEREST]}
        new = []
        items = self.interests.list
        items.blockSignals(True)  # restyling an item is no change of interests
        for i in range(items.count()):
            item = items.item(i)
            is_new = item.text().lower() not in known
            font = QFont(item.font())
            font.setItalic(is_new)
            item.setFont(font)
            item.setToolTip("New interest — will be created" if is_new else "")
            if is_new and item.checkState() == Qt.CheckState.Checked:
                new.append(item.text())
        items.blockSignals(False)
        noun = "New interest" if len(new) == 1 else "New interests"
        self.interests_new.setText(
            f"{noun} — will be created: {escape('; '.join(new))}" if new else ""
        )
        self.interests_new.setVisible(bool(new))

    def _resolve_new_values(self, data: PersonData) -> PersonData | None:
        """Ask about new values (once); the data to save, or ``None`` to stay in the form."""
        self._known = self._read_known()  # a colleague may have added them meanwhile
        values = [v for v in self._new_values(data) if (v.kind, v.name) not in self._approved]
        if not values:
            return data
        ask = NewValuesDialog(values, self)
        try:
            if ask.exec() != QDialog.DialogCode.Accepted:
                {SECTOR: self.sector_combo, ORGANISATION: self.organisation_combo}.get(
                    values[0].kind, self.interests.new_edit
                ).setFocus()
                return None
            chosen = ask.chosen()
        finally:
            ask.deleteLater()
        self._approved.update(key for key, name in chosen.items() if name == key[1])

        def pick(kind: directory.VocabularyKind, name: str | None) -> str | None:
            return chosen.get((kind, clean_name(name)), name) if name else name

        interests: dict[str, str] = {}  # the same interest chosen twice is kept once
        for name in data.interests:
            chose = pick(INTEREST, name) or name
            interests.setdefault(chose.lower(), chose)
        data = replace(
            data,
            sector=pick(SECTOR, data.sector),
            organisation=pick(ORGANISATION, data.organisation),
            interests=tuple(interests.values()),
        )
        # Show what will be saved, in case the save is refused and the form stays open.
        self.sector_combo.setEditText(data.sector or "")
        self.organisation_combo.setEditText(data.organisation or "")
        self.interests.set_checked(data.interests)
        self._mark_new()
        return data

    # --- validating and saving ------------------------------------------------------------

    def _validate(self) -> bool:
        """Show an inline message next to each invalid field; enable OK when all are fine."""
        ok = True
        if not clean_name(self.name_edit.text()):
            ok = False
            self._show(self.name_error, "A person needs a name." if self._name_touched else "")
        else:
            self._show(self.name_error, "")
        email = normalise_email(self.email_edit.text())
        problem = email_problem(email) if email is not None else None
        if problem is not None:
            ok = False
            self._show(self.email_error, problem)
        else:
            self._show(self.email_error, "")
        via = normalise_email(self.contact_via_email_edit.text())
        problem = email_problem(via) if via is not None else None
        self._show(self.contact_via_error, problem or "")
        ok = ok and problem is None
        zone = self.time_zone_combo.currentText().strip()
        if zone and zone not in time_zones():
            ok = False
            self._show(self.time_zone_error, f"'{zone}' is not a time zone, such as Europe/London")
        else:
            self._show(self.time_zone_error, "")
        self.ok_button.setEnabled(ok)
        return ok

    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def data(self) -> PersonData:
        """What the form holds now, as the services take it."""
        return PersonData(
            full_name=self.name_edit.text(),
            email=self.email_edit.text(),
            organisation=self.organisation_combo.currentText(),
            role=self.role_edit.text(),
            sector=self.sector_combo.currentText(),
            interests=self.interests.checked(),
            lived_experience=self.lived_experience_check.isChecked(),
            may_contact=self.may_contact_check.isChecked(),
            may_be_named=self.may_be_named_check.isChecked(),
            accessibility_needs=self.accessibility_edit.text(),
            dietary_needs=self.dietary_edit.text(),
            notes=self.notes_edit.toPlainText(),
            time_zone=self.time_zone_combo.currentText().strip() or None,
            display_name=self.display_name_edit.text(),
            contact_via=self.contact_via_edit.text(),
            contact_via_email=self.contact_via_email_edit.text(),
            contact_consent_how=self.contact_how.currentData() or "",
            named_consent_how=self.named_how.currentData() or "",
        )

    def accept(self) -> None:
        if not self._validate():
            return
        data = self.data()
        exclude = self.person.id if self.person else None
        email = normalise_email(data.email)
        if email:
            with self.ctx.db.reading() as session:
                clash = directory.find_by_email(session, email, exclude_id=exclude)
            if clash and self._duplicate(clash[0], clash[1], email):
                return
        resolved = self._resolve_new_values(data)
        if resolved is None:
            return
        data = resolved
        try:
            self._save(data)
        except DuplicateEmailError as exc:  # someone took the address just now
            self._duplicate(exc.existing_id, exc.existing_name, exc.email)
            return
        except ValidationError as exc:
            label = {
                "email": self.email_error,
                "time_zone": self.time_zone_error,
                "contact_via_email": self.contact_via_error,
            }.get(exc.field or "", self.name_error)
            self._show(label, str(exc))
            return
        except (ConflictError, NotFoundError) as exc:
            messages.show_error(self, "Cannot save", str(exc))
            return
        super().accept()

    def _duplicate(self, existing_id: int, existing_name: str, email: str) -> bool:
        """Warn about a taken address; True when the dialog must not save."""
        if messages.duplicate_email(self, existing_name, email):
            self.open_instead = existing_id
            super().reject()
        else:
            self.email_edit.setFocus()
            self.email_edit.selectAll()
        return True

    def done(self, result: int) -> None:
        self.ctx.settings.set(PERSON_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)
