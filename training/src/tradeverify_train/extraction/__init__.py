"""Extraction accuracy: field scores against a world's truth and against a golden folder."""
