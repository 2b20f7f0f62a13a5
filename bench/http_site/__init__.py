"""A bench-only Django site for bench/http.py: the product's settings and URLs, plus a floor view.

Not part of the product: nothing under ``config/`` or ``kinerja/`` imports it.
"""
