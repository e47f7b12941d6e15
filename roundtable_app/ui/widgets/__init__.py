"""Qt widgets of the Roundtable window."""
