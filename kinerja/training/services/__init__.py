"""The training app's writes, one module per capability."""
