"""Pages of the regional app, under /regional/."""

app_name = "regional"
urlpatterns: list = []
