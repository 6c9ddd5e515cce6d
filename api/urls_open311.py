"""Open311 GeoReport v2: /open311/discovery.{fmt} and /open311/v2/..."""

from django.urls import path

from api import open311

urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="open311-discovery"),
    path("v2/services.<str:fmt>", open311.services, name="open311-services"),
    path(
        "v2/services/<str:code>.<str:fmt>",
        open311.service_definition,
        name="open311-service",
    ),
    path("v2/requests.<str:fmt>", open311.requests_view, name="open311-requests"),
    path("v2/requests/<str:request_id>.<str:fmt>", open311.get_request, name="open311-request"),
    path("v2/tokens/<str:token>.<str:fmt>", open311.token, name="open311-token"),
]
