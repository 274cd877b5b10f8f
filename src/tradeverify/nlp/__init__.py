"""NER for trade documents: a small spaCy model trained on generated worlds, plus code rules.

``text`` lays the extractor's lines out as plain text (the same form for training and run
time), ``corpus`` turns a generated world into annotated ``DocBin`` files, ``rules`` finds codes
(IMO, ISO 6346 containers, HS codes, UN/LOCODEs, Incoterms) and ``entities`` is the run-time API.
"""
