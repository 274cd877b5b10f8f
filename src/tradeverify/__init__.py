"""tradeverify: verify that an offshore trade deal is real before a bank settles it."""

__version__ = "0.1.0"
