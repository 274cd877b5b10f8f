"""Extraction: document type and canonical fields from words with positions."""
