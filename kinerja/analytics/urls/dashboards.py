"""Pages of the dashboards part of the analytics app."""

urlpatterns: list = []
