"""The Discussion window: notes by table and section, typed live, saved as they are typed,
checked against the Chatham House Rule, and the summary's draft → final lifecycle."""

from roundtable_app.ui.discussion.window import DiscussionWindow, open_discussion

__all__ = ["DiscussionWindow", "open_discussion"]
