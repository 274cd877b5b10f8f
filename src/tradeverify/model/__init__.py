"""The serving side of the risk model: load the code-free files, calibrate, explain, the pyfunc.

Fitting, search and the MLflow registry live in ``tradeverify_train.model``.
"""
