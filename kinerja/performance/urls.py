from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("goals/", views.GoalTreeView.as_view(), name="goal_tree"),
    path("indicators/library/", views.TemplateListView.as_view(), name="template_list"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path(
        "periods/<int:pk>/late-entry/",
        views.LateEntryCreateView.as_view(),
        name="late_entry_create",
    ),
    path(
        "sub-periods/<int:pk>/status/",
        views.SubPeriodStatusView.as_view(),
        name="sub_period_status",
    ),
]
