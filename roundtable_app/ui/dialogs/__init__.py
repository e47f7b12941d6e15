"""Qt dialogs of the Roundtable window."""
