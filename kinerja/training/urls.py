"""Pages of the training app, under /training/."""

from django.urls import path  # noqa: F401

from .views import action_plans

app_name = "training"
urlpatterns: list = [
    path(
        "action-plans/mine/",
        action_plans.MyActionPlansView.as_view(),
        name="action_plan_mine",
    ),
    path(
        "action-plans/mentoring/",
        action_plans.MentoringView.as_view(),
        name="action_plan_mentoring",
    ),
    path(
        "action-plans/reviews/",
        action_plans.ReviewsAskedView.as_view(),
        name="action_plan_reviews",
    ),
    path(
        "action-plans/<int:pk>/",
        action_plans.ActionPlanDetailView.as_view(),
        name="action_plan_detail",
    ),
    path(
        "events/<int:event>/action-plans/",
        action_plans.EventActionPlansView.as_view(),
        name="event_action_plans",
    ),
]
