"""Training of the extraction models: the spaCy NER, the document-type and field scorers."""
