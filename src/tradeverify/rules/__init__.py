"""Hard red-flag rules: certain findings that force the high band."""
