"""Pages of the training app, under /training/."""

from django.urls import path  # noqa: F401

app_name = "training"
urlpatterns: list = []
