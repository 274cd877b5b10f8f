"""Reference data: schemas, loaders, the embedded store and sea routes."""
