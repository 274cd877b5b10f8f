"""The risk model: fit, calibrate, explain, save/load in code-free formats, MLflow registry."""
