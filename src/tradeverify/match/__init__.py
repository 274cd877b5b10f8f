"""Matching: evidence from the documents and the reference data, one module per family."""
