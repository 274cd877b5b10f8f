"""NER for trade documents at run time: a small spaCy model plus code rules.

``text`` lays the extractor's lines out as plain text (the same form for training and run
time), ``rules`` finds codes (IMO, ISO 6346 containers, HS codes, UN/LOCODEs, Incoterms) and
``entities`` is the run-time API. The model is trained by ``tradeverify_train.nlp``.
"""
