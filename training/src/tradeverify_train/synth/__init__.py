"""The synthetic trade world: reference data, deals, fraud typologies, rendered documents."""
