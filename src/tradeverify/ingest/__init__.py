"""Ingest: a document file -> pages of positioned words (text layer or OCR)."""

from tradeverify.ingest.readers import read_pages, sniff

__all__ = ["read_pages", "sniff"]
