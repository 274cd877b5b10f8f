"""Risk-model training: feature tables from worlds, fit, search, compare, track, promote."""
