"""The network part's resources under /api/v1/."""

urlpatterns: list = []
