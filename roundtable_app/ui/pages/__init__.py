"""Qt pages of the Roundtable window."""
