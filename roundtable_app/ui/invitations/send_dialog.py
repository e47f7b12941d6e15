"""Send invitations, updates or cancellations for one roundtable, with a result per invitee.

Page 1 (:class:`SendForm`): who gets it, how (.ics files, .eml drafts, or the
team's mail server) and the organiser. Page 2: a progress bar with Cancel while
``sending.deliver`` runs in the background, then one row per invitee: written,
sent, failed (with the reason) or skipped. "Retry failed" sends again to exactly
the failures. Only what ``deliver`` reports as written or accepted is shown as
such: the dialog never claims a send that did not happen.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Check, DeliveryReport, Method, Mode
from roundtable_app.services.roundtables import InviteeStatus
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import asks_before_discarding
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.send_checks import SendChecks
from roundtable_app.ui.invitations.send_form import SendChoices, SendForm
from roundtable_app.ui.settings import restore_geometry
from roundtable_app.ui.workers import Task

FORM, RESULTS = range(2)
_UP_TO_DATE = {
    InviteeStatus.SENT,
    InviteeStatus.ACCEPTED,
    InviteeStatus.DECLINED,
    InviteeStatus.TENTATIVE,
}
_FAILED = QColor("#b42318")
_OK = QColor("#067647")


def _count(n: int, noun: str = "invitee") -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


FAILURES_SHOWN = 5  # reasons spelled out above the table


@asks_before_discarding
class SendInvitationsDialog(QDialog):
    """Deliver a roundtable's calendar messages and show what happened to each.

    ``method`` is ``"request"`` (invitations and updates) or ``"cancel"``;
    ``invitation_ids`` limits the send to some invitees (the invitee list's selection).

    Signals:
        delivery_finished(DeliveryReport): one delivery (or retry) ended.
    """

    delivery_finished = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        parent: QWidget | None = None,
        *,
        method: str = "request",
        invitation_ids: Sequence[int] | None = None,
        schedule: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.method = Method(method.upper())
        #: What is delivered: also the cancellations of people taken off the list.
        self.delivery_method: Method | None = self.method
        self.invitation_ids = list(invitation_ids) if invitation_ids is not None else None
        #: Schedules a draft (an undoable step of the caller's); None: not offered here.
        self.schedule = schedule
        self.task: Task | None = None
        self.report: DeliveryReport | None = None
        self.choices: SendChoices | None = None
        self._close_when_done = False
        self._loaded = False
        self.setMinimumSize(640, 560)

        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)  # a long title wraps; it never widens the dialog
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.checks = SendChecks(ctx, roundtable_id, self.method, self)
        self.checks.fixed.connect(self._load_summary)

        self.form = SendForm(ctx.settings)
        self.form.mode_changed.connect(lambda _mode: self._label_send())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.pages = QStackedWidget()
        self.pages.addWidget(scroll)
        self.pages.addWidget(self._results_page())

        self.send_button = QPushButton("&Send")
        self.retry_button = QPushButton("&Retry failed")
        self.open_button = QPushButton("&Open folder")
        self.close_button = QPushButton("Cancel")
        self.send_button.clicked.connect(self.start)
        self.retry_button.clicked.connect(self.retry_failed)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.open_button, self.retry_button, self.send_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.send_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.checks)
        layout.addSpacing(4)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        restore_geometry(self, ctx.settings, keys.SEND_DIALOG_GEOMETRY, (860, 660))
        self._load_summary()
        self._show_page(FORM)

    # --- pages ----------------------------------------------------------------------------

    def _results_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel("Preparing…")
        self.progress_bar = QProgressBar()
        self.result_summary = QLabel()
        self.result_summary.setObjectName("resultSummary")
        self.result_summary.setWordWrap(True)
        self.result_summary.setTextFormat(Qt.TextFormat.RichText)
        self.results = QTableWidget(0, 4)
        self.results.setObjectName("sendResults")
        self.results.setHorizontalHeaderLabels(["Name", "Address", "Result", "Details"])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.verticalHeader().hide()
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 210, 90)):
            self.results.setColumnWidth(column, width)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.result_summary)
        layout.addWidget(self.results, 1)
        return page

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        running = self.task is not None and self.task.running
        on_form = page == FORM
        self.send_button.setVisible(on_form)
        self._label_send()
        failed = bool(self.report and self.report.failed)
        self.retry_button.setVisible(page == RESULTS and not running and failed)
        folder = self.choices.folder if self.choices else None
        self.open_button.setVisible(page == RESULTS and not running and folder is not None)
        self.close_button.setText("Cancel" if on_form or running else "Close")

    def _label_send(self) -> None:
        """Name what Send will do ("Schedule and save files"), or say why it cannot."""
        what = {Mode.ICS_FILES: "&Save files", Mode.EML_DRAFTS: "&Save drafts"}
        text = what.get(self.form.mode, "&Send")
        blocked = [c.text for c in self.checks.blocking]
        if self.checks.has(Check.DRAFT):
            if self.schedule is not None:
                text = "Schedule and " + text[0] + text[1:].lower()
            else:
                blocked.append("Schedule it on the Roundtables page first.")
        self.send_button.setText(text)
        if self._loaded:
            self.send_button.setEnabled(not blocked)
        self.send_button.setToolTip(" ".join(blocked))

    # --- who gets what ------------------------------------------------------------------------

    def _load_summary(self) -> None:
        self._loaded = False
        try:
            with self.ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, self.roundtable_id)
                rows = roundtables.invitee_rows(session, self.roundtable_id)
        except RoundtableError as exc:
            self.setWindowTitle("Send invitations")
            self.title.setText("Send invitations")
            self.form.show_error(str(exc))
            self.send_button.setEnabled(False)
            self.checks.hide()
            return
        self._loaded = True
        self.checks.reload()
        if self.invitation_ids is not None:
            chosen = set(self.invitation_ids)
            rows = [r for r in rows if r.invitation_id in chosen]
        statuses = [r.status for r in rows]
        cancel = self.method == Method.CANCEL
        needs_update = statuses.count(InviteeStatus.NEEDS_UPDATE)
        # People taken off the list after their invitation went out are told in the
        # same send (they would otherwise keep the event in their calendars).
        withdrawn = sum(r.withdrawn and r.status == InviteeStatus.CANCEL_NOT_SENT for r in rows)
        self.delivery_method = None if withdrawn and not cancel else self.method
        if cancel:
            what = "Cancellation"
            heading = f"Send the cancellation of “{info.data.title}”"
        elif needs_update and not statuses.count(InviteeStatus.NOT_SENT):
            what = "Update (the new details replace the old in their calendars)"
            heading = f"Send the update for “{info.data.title}”"
        else:
            what = "Invitation" + (" and update" if needs_update else "")
            heading = f"Send invitations to “{info.data.title}”"
        if withdrawn and not cancel:
            people = "1 person" if withdrawn == 1 else f"{withdrawn:,} people"
            what += f"; cancellation for {people} taken off the list"
        self.setWindowTitle(heading)
        self.title.setText(heading)
        when = ""
        if info.data.starts_at is not None:
            local = info.data.starts_at.astimezone(ZoneInfo(info.data.time_zone))
            when = f"{local:%A %d %B %Y, %H:%M} ({info.data.time_zone}) · "
        self.subtitle.setText(f"{when}What: {what}")
        if cancel:
            pending = statuses.count(InviteeStatus.CANCEL_NOT_SENT)
            done = statuses.count(InviteeStatus.CANCELLED)
            text = (
                f"<b>{_count(pending)}</b> still to be told it is cancelled · "
                f"{_count(done)} already told"
            )
        else:
            not_sent = statuses.count(InviteeStatus.NOT_SENT)
            current = sum(s in _UP_TO_DATE for s in statuses)
            text = (
                f"<b>{not_sent:,}</b> not sent · <b>{needs_update:,}</b> need the update · "
                f"{current:,} up to date"
            )
        if self.invitation_ids is not None:
            text += f"<br>Only the {_count(len(rows), 'selected invitee')}."
        self.form.summary.setText(text)
        self._label_send()

    # --- delivering ---------------------------------------------------------------------------

    def start(self) -> None:
        """Validate the form and deliver (the Send button)."""
        try:
            choices = self.form.choices()
            if choices.folder is not None:
                try:
                    choices.folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise RoundtableError(
                        f"Cannot use the folder {choices.folder} ({exc.strerror}); choose another."
                    ) from None
        except RoundtableError as exc:
            self.form.show_error(str(exc))
            return
        self.form.show_error("")
        if self.checks.has(Check.DRAFT):
            # "Schedule and send": only once the form is valid, so a mistyped
            # organiser never leaves a scheduled roundtable with nothing sent.
            if self.schedule is None or not self.schedule():
                return
            self._load_summary()
            if self.checks.blocking:
                return
        self.form.save_choices(choices)
        if choices.smtp is not None and choices.password and choices.remember_password:
            if not invitations.store_keyring_password(choices.smtp, choices.password):
                self.form.remember.setChecked(False)
        self.choices = choices
        self._deliver(self.invitation_ids, choices.only_pending)

    def retry_failed(self) -> None:
        """Send again to the invitees whose message failed (or was stopped)."""
        if self.report is None or self.choices is None or not self.report.failed:
            return
        self._deliver([r.invitation_id for r in self.report.failed], True)

    def _deliver(self, invitation_ids: Sequence[int] | None, only_pending: bool) -> None:
        choices = self.choices
        assert choices is not None
        db, rt_id, method = self.ctx.db, self.roundtable_id, self.delivery_method

        def work(progress: Progress) -> DeliveryReport:
            return invitations.deliver(
                db,
                rt_id,
                choices.organiser,
                mode=choices.mode,
                folder=choices.folder,
                smtp=choices.smtp,
                password=choices.password,
                method=method,
                only_pending=only_pending,
                invitation_ids=invitation_ids,
                progress=progress,
            )

        self.results.setRowCount(0)
        self.result_summary.clear()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        verb = "Sending" if choices.mode == Mode.SMTP else "Writing"
        self.progress_label.setText(f"{verb}…")
        self.progress_label.show()
        self.task = self.ctx.run_in_background(
            work,
            parent=self,
            on_done=self._finished,
            on_error=self._failed,
            on_progress=self._progressed,
        )
        self._show_page(RESULTS)

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        if done < total:
            self.progress_label.setText(f"{done + 1:,} of {total:,}: {message}")

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._published()
        if self._close_when_done:
            super().reject()
            return
        text = str(exc) if isinstance(exc, RoundtableError) else f"Something went wrong: {exc}"
        self.form.show_error(text)
        self._show_page(FORM)

    def _finished(self, report: DeliveryReport) -> None:
        self.task = None
        self.report = report
        self._published()
        self.progress_bar.hide()
        self.progress_label.hide()
        self._fill_results(report)
        self._show_page(RESULTS)
        self.delivery_finished.emit(report)
        if self._close_when_done:
            super().reject()

    def _published(self) -> None:
        self.ctx.publish(Changes(roundtables=frozenset({self.roundtable_id})))

    def _fill_results(self, report: DeliveryReport) -> None:
        assert self.choices is not None
        smtp = self.choices.mode == Mode.SMTP
        rows: list[tuple[str, str, str, str, QColor | None]] = []
        for r in report.results:
            if r.ok:
                result = "sent" if smtp else "written"
                if not r.recorded:
                    result += " (not recorded)"
                detail = r.path.name if r.path is not None and r.recorded else r.detail
                colour: QColor | None = _OK if r.recorded else _FAILED
            else:
                stopped = r.detail.startswith("not sent")
                result = "not sent" if stopped else "failed"
                detail, colour = r.detail, _FAILED
            rows.append((r.name, r.email, result, detail, colour))
        for s in report.skipped:
            rows.append((s.name, "", "skipped", s.reason, None))
        # Failures first: in a list of 150 they must not hide below the fold.
        rank = {"failed": 0, "not sent": 1, "skipped": 2}
        rows.sort(key=lambda values: rank.get(values[2], 3))
        self.results.setRowCount(len(rows))
        for row, values in enumerate(rows):
            *texts, colour = values
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 2 and colour is not None:
                    item.setForeground(QBrush(colour))
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                self.results.setItem(row, column, item)
        self.result_summary.setText(self._summary_text(report))
        self.results.resizeColumnsToContents()
        for column, cap in enumerate((200, 250, 110)):
            self.results.setColumnWidth(column, min(self.results.columnWidth(column) + 12, cap))

    def _summary_text(self, report: DeliveryReport) -> str:
        assert self.choices is not None
        sent, failed = report.sent, len(report.failed)
        if self.choices.mode == Mode.SMTP:
            done = f"<b>{_count(sent, 'message')} accepted by the mail server</b>"
        else:
            noun = "draft" if self.choices.mode == Mode.EML_DRAFTS else "file"
            done = f"<b>{_count(sent, noun)} written</b> to {self.choices.folder}"
        parts = [done]
        if failed:
            parts.append(f"<span style='color:#b42318'><b>{failed:,} not sent</b></span>")
        if report.skipped:
            parts.append(f"{len(report.skipped):,} skipped")
        text = " · ".join(parts) + "."
        if report.stopped:
            text += " Stopped: the rest were not sent; “Retry failed” sends them."
        elif failed:
            text += " Those not sent stay pending; fix the cause, then “Retry failed”."
        if failed:
            # The reasons are what the user must act on: in full, not cut off in a cell.
            lines = [
                f"{html.escape(r.name)} &lt;{html.escape(r.email)}&gt;: {html.escape(r.detail)}"
                for r in report.failed[:FAILURES_SHOWN]
            ]
            if failed > FAILURES_SHOWN:
                lines.append(f"… and {failed - FAILURES_SHOWN:,} more, listed first below.")
            text += "<br>" + "<br>".join(lines)
        if not report.results and not report.skipped:
            text = "Everyone already has the latest version; nothing needed to be sent."
        return text

    def open_folder(self) -> None:
        """Show the folder the files were written to in the file manager."""
        if self.choices is not None and self.choices.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.choices.folder)))

    # --- closing ---------------------------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        return self.choices.folder if self.choices else None

    def reject(self) -> None:
        """Cancel stops a running delivery first (what went out stays recorded)."""
        if self.task is not None and self.task.running:
            self.task.cancel()
            self._close_when_done = True
            self.close_button.setEnabled(False)
            self.progress_label.setText("Stopping after the current message…")
            return
        self._save_geometry()
        super().reject()

    def done(self, result: int) -> None:
        self._save_geometry()
        super().done(result)

    def _save_geometry(self) -> None:
        self.ctx.settings.set(keys.SEND_DIALOG_GEOMETRY, self.saveGeometry())
