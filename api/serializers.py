from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from feedback.models import AdministrativeUnit, Category, Ticket

OPTIONAL_TEXT = {"required": False, "allow_blank": True, "default": ""}


class TicketSubmitSerializer(serializers.Serializer):
    """Input of POST /api/v1/tickets/. Shape only: every rule (who may
    give what, consent, coordinates, denunciations) is in
    feedback.workflow.ticket_submit."""

    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.")},
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdministrativeUnit.objects.all(),
        error_messages={"does_not_exist": _("Vui lòng chọn phường, xã đang hoạt động.")},
    )
    kind = serializers.ChoiceField(choices=Ticket.Kind.choices, required=False)
    title = serializers.CharField(max_length=200, **OPTIONAL_TEXT)
    description = serializers.CharField(max_length=10_000)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    address = serializers.CharField(max_length=255, **OPTIONAL_TEXT)
    contact_name = serializers.CharField(max_length=150, **OPTIONAL_TEXT)
    contact_phone = serializers.CharField(max_length=30, **OPTIONAL_TEXT)
    contact_email = serializers.EmailField(**OPTIONAL_TEXT)
    contact_address = serializers.CharField(max_length=255, **OPTIONAL_TEXT)
    consent = serializers.BooleanField(required=False, default=False)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_public = serializers.BooleanField(required=False, default=True)
