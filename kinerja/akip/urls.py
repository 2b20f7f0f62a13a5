"""Pages of the akip app, under /akip/."""

app_name = "akip"
urlpatterns: list = []
