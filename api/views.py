from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import TicketSubmitSerializer
from feedback import limits, workflow
from feedback.errors import ValidationFailed
from feedback.models import Ticket

MAX_IDEMPOTENCY_KEY = 100
TICKET_FILED = inline_serializer(
    "TicketFiled", {"code": serializers.CharField(), "status": serializers.CharField()}
)


class TicketSubmitView(APIView):
    """File a report. An `Idempotency-Key` header makes a retry safe: the
    same key and content return the first ticket (200), a different
    content under a used key is a conflict (409). The answer never waits
    on routing: it is queued after commit."""

    authentication_classes: list = []

    @extend_schema(
        request=TicketSubmitSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Makes a retry safe: the same key and content return the first ticket.",
            )
        ],
        responses={201: TICKET_FILED, 200: TICKET_FILED},
    )
    def post(self, request):
        # The same per-address budget as the public form: the endpoint is
        # open to anyone, so it must not be the way around that limit.
        if limits.limited(request, limits.SUBMIT, settings.FEEDBACK_SUBMIT_RATE):
            raise Throttled()
        key = (request.headers.get("Idempotency-Key") or "").strip() or None
        if key and len(key) > MAX_IDEMPOTENCY_KEY:
            raise ValidationFailed("Idempotency-Key is too long (100 characters at most).")
        serializer = TicketSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        filed = workflow.ticket_submit(
            kind=data.get("kind") or data["category"].default_kind,
            channel=Ticket.Channel.API,
            idempotency_key=key,
            **{k: v for k, v in data.items() if k != "kind"},
        )
        # The workflow's insert decides which of two racing calls made it.
        return Response(
            {"code": filed.ticket.display_code, "status": filed.ticket.status},
            status=status.HTTP_201_CREATED if filed.created else status.HTTP_200_OK,
        )
