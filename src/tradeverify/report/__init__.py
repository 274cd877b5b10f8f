"""Report rendering: reason codes, JSON and the batch row."""
