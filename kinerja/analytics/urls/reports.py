"""Pages of the reports part of the analytics app."""

urlpatterns: list = []
