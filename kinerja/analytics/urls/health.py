"""Pages of the health part of the analytics app."""

urlpatterns: list = []
