"""The risks app's resources under /api/v1/ (included by config/api.py in its namespace)."""

urlpatterns: list = []
