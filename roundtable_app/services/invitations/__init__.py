"""Calendar invitations: building .ics and e-mails, sending them, and reading the replies.

No invitee's calendar file or e-mail ever reveals another invitee's address.
"""

from roundtable_app.services.invitations.checks import Check, Preflight, preflight
from roundtable_app.services.invitations.email_drafts import (
    build_email,
    email_bytes,
    subject,
    write_eml,
)
from roundtable_app.services.invitations.ical import (
    MAX_NAME,
    Attendee,
    EventInfo,
    IcsTemplate,
    Method,
    Organiser,
    build_ics,
    message_stem,
    safe_filename,
    write_bytes,
)
from roundtable_app.services.invitations.replies import (
    APPLIED_KINDS,
    HeldReply,
    ReplyChange,
    ReplyIssue,
    ReplyReport,
    apply_held_replies,
    apply_reply_files,
)
from roundtable_app.services.invitations.reply_files import Problem
from roundtable_app.services.invitations.reply_import import (
    ImportedReplies,
    import_held_replies,
    import_replies,
    restore_responses,
)
from roundtable_app.services.invitations.sending import (
    DeliveryReport,
    Mode,
    Security,
    SmtpSettings,
    deliver,
    keyring_password,
    store_keyring_password,
)
from roundtable_app.services.invitations.timezones import vtimezone

__all__ = [
    "APPLIED_KINDS",
    "MAX_NAME",
    "Attendee",
    "Check",
    "DeliveryReport",
    "EventInfo",
    "HeldReply",
    "IcsTemplate",
    "ImportedReplies",
    "Method",
    "Mode",
    "Organiser",
    "Preflight",
    "Problem",
    "ReplyChange",
    "ReplyIssue",
    "ReplyReport",
    "Security",
    "SmtpSettings",
    "apply_held_replies",
    "apply_reply_files",
    "build_email",
    "build_ics",
    "deliver",
    "email_bytes",
    "import_held_replies",
    "import_replies",
    "keyring_password",
    "message_stem",
    "preflight",
    "restore_responses",
    "safe_filename",
    "store_keyring_password",
    "subject",
    "vtimezone",
    "write_bytes",
    "write_eml",
]
