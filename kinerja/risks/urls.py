"""Pages of the risks app, under /risks/."""

app_name = "risks"
urlpatterns: list = []
