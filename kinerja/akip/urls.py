"""Pages of the akip app, under /akip/."""

from django.urls import path

from . import views

app_name = "akip"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("export/", views.OverviewXlsxView.as_view(), name="overview_xlsx"),
    path("agencies/<int:agency>/<int:year>/", views.SheetView.as_view(), name="sheet"),
    path(
        "agencies/<int:agency>/<int:year>/export/",
        views.SheetXlsxView.as_view(),
        name="sheet_xlsx",
    ),
    path(
        "agencies/<int:agency>/<int:year>/start/",
        views.StartView.as_view(),
        name="evaluation_start",
    ),
    path(
        "evaluations/<int:pk>/refresh/",
        views.RefreshView.as_view(),
        name="evaluation_refresh",
    ),
    path(
        "evaluations/<int:pk>/finalise/",
        views.FinaliseView.as_view(),
        name="evaluation_finalise",
    ),
    path(
        "evaluations/<int:pk>/answers/<str:code>/",
        views.AnswerView.as_view(),
        name="answer_set",
    ),
    path(
        "evaluations/<int:pk>/recommendations/new/",
        views.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/follow-ups/",
        views.FollowUpAddView.as_view(),
        name="follow_up_add",
    ),
]
