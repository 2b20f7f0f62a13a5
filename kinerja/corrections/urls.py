from django.urls import path

from . import views

app_name = "corrections"
urlpatterns = [
    path("", views.MyCorrectionsView.as_view(), name="mine"),
    path("queue/", views.CorrectionQueueView.as_view(), name="queue"),
    path("<int:pk>/", views.CorrectionDetailView.as_view(), name="detail"),
    path("<int:pk>/accept/", views.DecisionView.as_view(decision="accept"), name="accept"),
    path("<int:pk>/refuse/", views.DecisionView.as_view(decision="refuse"), name="refuse"),
]
