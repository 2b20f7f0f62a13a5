from django.urls import path

from . import views
from .views import skp as skp_views

app_name = "performance"
urlpatterns = [
    path("goals/", views.GoalTreeView.as_view(), name="goal_tree"),
    path("goals/add/", views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/add/", views.GoalCreateView.as_view(), name="goal_add_child"),
    path("goals/<int:pk>/edit/", views.GoalUpdateView.as_view(), name="goal_update"),
    path(
        "goals/<int:pk>/indicators/add/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path(
        "indicators/<int:pk>/targets/<int:year>/",
        views.TargetEditView.as_view(),
        name="target_edit",
    ),
    path("indicators/similar/", views.IndicatorSimilarView.as_view(), name="indicator_similar"),
    path("indicators/library/", views.TemplateListView.as_view(), name="template_list"),
    path("indicators/library/lookup/", views.TemplateLookupView.as_view(), name="template_lookup"),
    path("indicators/library/add/", views.TemplateCreateView.as_view(), name="template_create"),
    path(
        "indicators/library/<int:pk>/edit/",
        views.TemplateUpdateView.as_view(),
        name="template_update",
    ),
    path("key-sets/", views.KeySetListView.as_view(), name="key_set_list"),
    path(
        "key-sets/<int:pk>/indicators/add/",
        views.KeySetIndicatorView.as_view(),
        name="key_set_add",
    ),
    path(
        "key-sets/<int:pk>/indicators/remove/",
        views.KeySetIndicatorView.as_view(remove=True),
        name="key_set_remove",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/add/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path(
        "agreements/<int:pk>/<slug:step>/",
        views.AgreementStepView.as_view(),
        name="agreement_step",
    ),
    path("skp/", skp_views.PlanListView.as_view(), name="plan_list"),
    path("skp/add/", skp_views.PlanCreateView.as_view(), name="plan_create"),
    path("skp/<int:pk>/", skp_views.PlanDetailView.as_view(), name="plan_detail"),
    path("skp/<int:pk>/edit/", skp_views.PlanUpdateView.as_view(), name="plan_update"),
    path(
        "skp/<int:pk>/results/add/",
        skp_views.PlanResultCreateView.as_view(),
        name="plan_result_add",
    ),
    path(
        "skp/results/<int:pk>/indicators/add/",
        skp_views.PlanIndicatorCreateView.as_view(),
        name="plan_indicator_add",
    ),
    path("skp/<int:pk>/behaviours/", skp_views.PlanBehaviourView.as_view(), name="plan_behaviours"),
    path("skp/<int:pk>/<slug:step>/", skp_views.PlanStepView.as_view(), name="plan_step"),
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
