"""After a change of time or place: say who needs an update, offer to send it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import roundtables as rts
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext


def offer_update(ctx: AppContext, edit: rts.RoundtableEdit, parent: QWidget | None) -> None:
    """Tell the user that invitees need an update; open the send dialog if they want."""
    from roundtable_app.services.roundtables import InviteeStatus, invitee_rows

    if edit.after.status != RoundtableStatus.SCHEDULED:
        return
    with ctx.db.reading() as session:
        rows = invitee_rows(session, edit.after.id, include_withdrawn=False)
    ids = [r.invitation_id for r in rows if r.status == InviteeStatus.NEEDS_UPDATE]
    if not ids:
        return
    who = "1 invitee needs" if len(ids) == 1 else f"{len(ids)} invitees need"
    text = (
        f"The time or place of '{edit.after.data.title}' changed: {who} an update "
        "in their calendar."
    )
    if messages.confirm(parent, "Invitations need an update", text, "Send update…"):
        from roundtable_app.ui.invitations import SendInvitationsDialog

        dialog = SendInvitationsDialog(
            ctx, edit.after.id, parent, method="request", invitation_ids=ids
        )
        dialog.exec()
        dialog.deleteLater()
