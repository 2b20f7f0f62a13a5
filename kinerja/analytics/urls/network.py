"""Pages of the network part of the analytics app."""

urlpatterns: list = []
