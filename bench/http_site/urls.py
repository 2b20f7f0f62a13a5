"""The product's URLs plus ``/bench/hello``: the cheapest JSON answer Django can give; and a
verifier for the agency heads' targets (``parties.py``), for the verification queue."""

from django.http import JsonResponse
from django.urls import include, path

from . import parties  # noqa: F401 - gives the agency heads' targets a verifier (see there)


def hello(request):
    return JsonResponse({"hello": "world"})


urlpatterns = [
    path("bench/hello", hello),
    path("", include("config.urls")),
]
