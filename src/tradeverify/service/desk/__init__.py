"""The review desk: officers see the evidence on the page, decide, and their decisions are kept."""
