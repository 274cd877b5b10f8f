"""Training side of tradeverify: the synthetic trade world, model training and evaluation.

Serving (the ``tradeverify`` package) never imports this package; it depends on serving. Install
it with ``pip install -e ./training`` next to ``tradeverify`` (``make setup`` does both).
"""
