"""Qt models of the Roundtable window."""
