"""Sending invitations (files, e-mail drafts, the team's mail server) and importing replies."""

from roundtable_app.ui.invitations.replies_dialog import RepliesResultDialog, import_replies
from roundtable_app.ui.invitations.send_dialog import SendInvitationsDialog

__all__ = ["RepliesResultDialog", "SendInvitationsDialog", "import_replies"]
