"""Delivering calendar messages: .ics files, .eml drafts, or SMTP, one result per invitee.

Unlike the data services this module takes a :class:`Database`, not a session,
because of the rule "nothing is marked sent that was not sent": a message is
recorded (:func:`.outbox.mark_sent`) only AFTER it was written to disk or
accepted by the mail server, in short transactions of its own, never in one
long transaction around the whole batch. So:

- a failure (refused recipient, full disk) is reported for that invitee, nothing
  is recorded for them, and they stay pending: sending again retries exactly
  the failures (``only_pending``), or ``invitation_ids=[...]`` picks them;
- a crash or Cancel halfway leaves what went out recorded and the rest pending;
  no transaction holds database locks while a mail server is slow;
- SMTP: each message is recorded in its own transaction right after the server
  accepted it, because a sent e-mail cannot be taken back. Files: the written
  files are recorded in small batches (up to ``FILE_BATCH``, and always before
  returning), because a file written but not yet recorded is harmless (it is
  written again next time) and one commit per file would cost more than the
  file itself (the 500-invitee budget, issue 4 §5);
- the one unavoidable window: the server accepted a message and then the
  database could not record it. That invitee is reported as sent but "not
  recorded", and would receive the same version again next time, which
  calendars treat as a harmless repeat (same UID and SEQUENCE). Sending twice is
  better than claiming a send that did not happen.

The SMTP password comes from the system keyring when there is one
(``keyring.get_password("roundtable_app", f"{user}@{host}")``), else from the caller.
"""

from __future__ import annotations

import datetime as dt
import enum
import smtplib
import ssl
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from roundtable_app import APP_ID
from roundtable_app.core.errors import Cancelled, RoundtableError, ValidationError
from roundtable_app.core.progress import Progress
from roundtable_app.services.files import flush_to_disk
from roundtable_app.services.invitations.email_drafts import build_email, email_bytes, write_eml
from roundtable_app.services.invitations.ical import IcsTemplate, Method, Organiser, write_bytes
from roundtable_app.services.invitations.outbox import (
    OutgoingMessage,
    Skipped,
    mark_sent_many,
    plan_messages,
)
from roundtable_app.storage.unit_of_work import Database

#: Files written are recorded as sent this many at a time (see the module docstring).
FILE_BATCH = 100


class Mode(enum.StrEnum):
    """How the messages leave the app."""

    ICS_FILES = "ics"  # one .ics per invitee in a folder
    EML_DRAFTS = "eml"  # one .eml draft per invitee in a folder
    SMTP = "smtp"  # sent through the team's mail server


class Security(enum.StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The team's mail server (kept in the UI settings; the password is not)."""

    host: str
    port: int = 587
    security: Security = Security.STARTTLS
    user: str = ""
    timeout: float = 30.0

    @property
    def keyring_user(self) -> str:
        return f"{self.user}@{self.host}"


def keyring_password(settings: SmtpSettings) -> str | None:
    """The stored password, or None when there is none or no keyring backend."""
    if not settings.user:
        return None
    try:
        import keyring

        return keyring.get_password(APP_ID, settings.keyring_user)
    except Exception:  # no backend (headless Linux), locked or broken keyring
        return None


def store_keyring_password(settings: SmtpSettings, password: str) -> bool:
    """Keep the password in the system keyring; False when there is no usable keyring."""
    try:
        import keyring

        keyring.set_password(APP_ID, settings.keyring_user, password)
        return True
    except Exception:
        return False


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one invitee's message."""

    invitation_id: int
    person_id: int
    name: str
    email: str
    method: Method
    sequence: int
    ok: bool
    #: The file written, the server's answer, or why it failed.
    detail: str
    #: A failure that may work next time (all of them, once the cause is fixed).
    retryable: bool = False
    #: False only when it went out but the database could not record it.
    recorded: bool = True
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    results: tuple[SendResult, ...]
    skipped: tuple[Skipped, ...]
    #: True when the user pressed Cancel; the rest are reported as not sent.
    stopped: bool = False

    @property
    def sent(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def failed(self) -> tuple[SendResult, ...]:
        return tuple(r for r in self.results if not r.ok)


def _connect(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.security == Security.TLS:
        server = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        server.ehlo()
        if settings.security == Security.STARTTLS:
            server.starttls(context=context)
            server.ehlo()
        if settings.user:
            if password is None:
                raise ValidationError(
                    f"No password for {settings.keyring_user}: enter it in the mail settings."
                )
            server.login(settings.user, password)
    except BaseException:
        server.close()
        raise
    return server


def _failure(message: OutgoingMessage, detail: str) -> SendResult:
    return SendResult(
        invitation_id=message.invitation_id,
        person_id=message.person_id,
        name=message.attendee.name,
        email=message.attendee.email,
        method=message.method,
        sequence=message.sequence,
        ok=False,
        detail=detail,
        retryable=True,
    )


def _smtp_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in exc.recipients.values()
        )
        return f"the mail server refused the address ({codes})"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"the mail server refused the message ({exc.smtp_code} {text})"
    return f"could not send ({exc})"


def deliver(
    db: Database,
    roundtable_id: int,
    organiser: Organiser,
    *,
    mode: Mode,
    folder: Path | None = None,
    smtp: SmtpSettings | None = None,
    password: str | None = None,
    method: Method | None = None,
    only_pending: bool = True,
    invitation_ids: Collection[int] | None = None,
    progress: Progress | None = None,
) -> DeliveryReport:
    """Write or send each pending message for a roundtable; record only what went out.

    ``folder`` is needed for the file modes, ``smtp`` for SMTP (the password from
    ``password``, else the keyring). ``method``, ``only_pending`` and
    ``invitation_ids`` choose the messages (see ``plan_messages``). Raises
    :class:`RoundtableError` before anything is sent when the roundtable cannot be
    sent at all or the mail server cannot be reached; afterwards, problems are
    per-invitee results. Cancel through ``progress`` stops before the next
    message; what went out stays recorded and the rest is reported "not sent".
    """
    progress = progress or Progress()
    if mode != Mode.SMTP and folder is None:
        raise ValidationError("Choose a folder to write the invitations to.", "folder")
    if mode == Mode.SMTP and smtp is None:
        raise ValidationError("Set up the mail server in the settings first.", "smtp")
    with db.reading() as session:
        outbox = plan_messages(
            session,
            roundtable_id,
            method=method,
            only_pending=only_pending,
            invitation_ids=invitation_ids,
        )
    messages = outbox.messages
    server: smtplib.SMTP | None = None
    if mode == Mode.SMTP and messages:
        assert smtp is not None
        secret = password if password is not None else keyring_password(smtp)
        try:
            server = _connect(smtp, secret)
        except smtplib.SMTPAuthenticationError as exc:
            raise RoundtableError(
                f"The mail server {smtp.host} did not accept the user name or password for "
                f"{smtp.user} ({exc.smtp_code}); check them in the mail settings. Nothing was sent."
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise RoundtableError(
                f"Could not connect to the mail server {smtp.host}:{smtp.port} ({exc}); "
                "check the mail settings and your connection. Nothing was sent."
            ) from exc
    batch = 1 if mode == Mode.SMTP else FILE_BATCH
    recorder = _Recorder(db, batch)
    templates: dict[tuple[Method, int], IcsTemplate] = {}
    failures: list[SendResult] = []
    stopped = False
    try:
        for index, message in enumerate(messages):
            try:
                progress.update(index, len(messages), message.attendee.name)
            except Cancelled:
                stopped = True
                failures.extend(_failure(m, "not sent: stopped") for m in messages[index:])
                break
            key = (message.method, message.sequence)
            if key not in templates:
                templates[key] = IcsTemplate(
                    message.event, organiser, method=message.method, sequence=message.sequence
                )
            try:
                result = _deliver_one(message, templates[key], mode, folder, server)
            except smtplib.SMTPServerDisconnected as exc:
                failures.append(_failure(message, _smtp_reason(exc)))
                # One new connection; if that fails too, the rest fail fast
                # instead of each waiting for the server's timeout.
                server = _reconnect(smtp, password, server)
                if server is None:
                    rest = messages[index + 1 :]
                    failures.extend(
                        _failure(m, "not sent: the mail server went away") for m in rest
                    )
                    break
                continue
            except (OSError, smtplib.SMTPException) as exc:
                failures.append(_failure(message, _smtp_reason(exc)))
                continue
            except RoundtableError as exc:
                failures.append(_failure(message, str(exc)))
                continue
            recorder.add(message, result)
        else:
            progress.update(len(messages), len(messages), "Done")
    except Cancelled:
        pass  # pressed during the final update, when everything had gone out
    finally:
        recorder.flush()  # whatever happens, what went out is recorded
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()
    order = {m.invitation_id: i for i, m in enumerate(messages)}
    results = sorted(recorder.results + failures, key=lambda r: order[r.invitation_id])
    return DeliveryReport(tuple(results), outbox.skipped, stopped)


def _reconnect(
    smtp: SmtpSettings | None, password: str | None, old: smtplib.SMTP | None
) -> smtplib.SMTP | None:
    if old is not None:
        old.close()
    if smtp is None:
        return None
    try:
        return _connect(smtp, password if password is not None else keyring_password(smtp))
    except (OSError, smtplib.SMTPException, RoundtableError):
        return None


def _deliver_one(
    message: OutgoingMessage,
    template: IcsTemplate,
    mode: Mode,
    folder: Path | None,
    server: smtplib.SMTP | None,
) -> SendResult:
    ics = template.render(message.attendee)
    path: Path | None = None
    if mode == Mode.ICS_FILES:
        assert folder is not None
        path = folder / message.filename("ics")
        write_bytes(path, ics, sync=False)  # the recorder waits for the disk, per batch
        detail = f"written to {path}"
    else:
        email = build_email(
            message.event,
            template.organiser,
            message.attendee,
            ics,
            method=message.method,
            is_update=message.is_update,
            draft=mode == Mode.EML_DRAFTS,
        )
        if mode == Mode.EML_DRAFTS:
            assert folder is not None
            path = folder / message.filename("eml")
            write_eml(path, email, sync=False)
            detail = f"written to {path}"
        else:
            if server is None:
                raise smtplib.SMTPServerDisconnected("the connection to the mail server was lost")
            # Envelope recipient: this invitee only, whatever the headers say.
            server.sendmail(template.organiser.email, [message.attendee.email], email_bytes(email))
            detail = "accepted by the mail server"
    return SendResult(
        invitation_id=message.invitation_id,
        person_id=message.person_id,
        name=message.attendee.name,
        email=message.attendee.email,
        method=message.method,
        sequence=message.sequence,
        ok=True,
        detail=detail,
        path=path,
    )


class _Recorder:
    """Records delivered messages as sent, ``batch`` at a time, each batch one transaction."""

    def __init__(self, db: Database, batch: int) -> None:
        self.db, self.batch = db, batch
        self.results: list[SendResult] = []
        self._pending: list[tuple[OutgoingMessage, SendResult]] = []

    def add(self, message: OutgoingMessage, result: SendResult) -> None:
        self._pending.append((message, result))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        written = [result.path for _message, result in pending if result.path is not None]
        if written:
            # Nothing is recorded as sent before its file is safely on the disk.
            try:
                flush_to_disk(written)
            except OSError as exc:
                self.results.extend(
                    replace(
                        result,
                        ok=False,
                        retryable=True,
                        detail=f"not saved: the disk reported an error ({exc.strerror or exc})",
                    )
                    for _message, result in pending
                )
                return
        now = dt.datetime.now(dt.UTC)
        try:
            with self.db.transaction() as session:
                mark_sent_many(session, [message for message, _result in pending], now)
        except SQLAlchemyError as exc:
            for _message, result in pending:
                self.results.append(
                    replace(
                        result,
                        recorded=False,
                        detail=f"{result.detail}, but the database could not record it ({exc})",
                    )
                )
            return
        self.results.extend(result for _message, result in pending)
