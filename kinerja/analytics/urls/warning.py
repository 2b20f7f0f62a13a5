"""Pages of the warning part of the analytics app."""

urlpatterns: list = []
