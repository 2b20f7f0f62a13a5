"""Writes of the training app, one module per capability."""
