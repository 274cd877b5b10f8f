"""The one feature builder, used by training and scoring alike."""
