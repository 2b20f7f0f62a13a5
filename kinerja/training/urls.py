"""Pages of the training app, under /training/."""

from django.urls import path

from .views import nominations as nominations_views

app_name = "training"
urlpatterns: list = [
    # Nominations (views/nominations.py).
    path(
        "events/<int:pk>/nominations/",
        nominations_views.EventNominationsView.as_view(),
        name="event_nominations",
    ),
    path(
        "events/<int:pk>/nominations/confirm/",
        nominations_views.ConfirmView.as_view(),
        name="nominations_confirm",
    ),
    path(
        "events/<int:pk>/nominations/invite/",
        nominations_views.InviteView.as_view(),
        name="nominations_invite",
    ),
    path(
        "events/<int:pk>/nominations/quota/",
        nominations_views.QuotaSetView.as_view(),
        name="nominations_quota",
    ),
    path(
        "events/<int:pk>/nominate/",
        nominations_views.NominateView.as_view(),
        name="nominate",
    ),
    path(
        "events/<int:pk>/staff-lookup/",
        nominations_views.StaffLookupView.as_view(),
        name="staff_lookup",
    ),
    path(
        "participants/<int:pk>/withdraw/",
        nominations_views.WithdrawView.as_view(),
        name="participant_withdraw",
    ),
    path("nominees/", nominations_views.AgencyNomineesView.as_view(), name="our_nominees"),
    path(
        "nominees/progress/",
        nominations_views.AgencyProgressView.as_view(),
        name="our_progress",
    ),
]
