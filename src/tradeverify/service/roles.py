"""The roles an API key can hold; apart from ``keys`` so the CLI's help needs no database code."""

from __future__ import annotations

from typing import Literal

Role = Literal["submitter", "reader", "admin", "officer"]
# The roles an API key can be given; "officer" is a desk user's (service.officers), never a key's.
ROLES: tuple[Role, ...] = ("submitter", "reader", "admin")
