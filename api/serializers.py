"""Shapes in and out of API v1. Input serializers check shapes only: every
rule (who may give what, consent, coordinates, denunciations, receipt
times) is in feedback.workflow. Output serializers show only what the
reader may see: public fields for everyone, contact details only where
feedback.permissions says so."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from feedback.models import AdministrativeUnit, Category, Office, Ticket, TicketEvent

OPTIONAL_TEXT = {"required": False, "allow_blank": True, "default": ""}


class TicketSubmitSerializer(serializers.Serializer):
    """Input of POST /api/v1/tickets/ (JSON, or multipart with files)."""

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
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180
    )
    address = serializers.CharField(max_length=255, **OPTIONAL_TEXT)
    extra = serializers.DictField(
        child=serializers.CharField(max_length=1000, allow_blank=True),
        required=False,
        help_text="Answers to the category's extra questions, by question code.",
    )
    contact_name = serializers.CharField(max_length=150, **OPTIONAL_TEXT)
    contact_phone = serializers.CharField(max_length=30, **OPTIONAL_TEXT)
    contact_email = serializers.EmailField(**OPTIONAL_TEXT)
    contact_address = serializers.CharField(max_length=255, **OPTIONAL_TEXT)
    notify_by = serializers.ChoiceField(
        choices=Ticket.NotifyBy.choices,
        required=False,
        help_text="How the reporter hears of changes: email (default) or sms, where the "
        "deployment has an SMS gateway (sms needs contact_phone).",
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The reporter's language for notifications (default vi).",
    )
    consent = serializers.BooleanField(required=False, default=False)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_public = serializers.BooleanField(required=False, default=True)
    source_ref = serializers.CharField(
        max_length=500, help_text="The partner's own reference for this report.", **OPTIONAL_TEXT
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text="The true receipt time (keys with the backfill scope only).",
    )
    media_url = serializers.ListField(
        child=serializers.URLField(max_length=2000),
        required=False,
        max_length=5,
        help_text="Photos or PDFs to fetch; checked like uploads, attached shortly after.",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5, write_only=True
    )


class TicketFiledSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    url = serializers.URLField(help_text="This ticket in the API.")
    secret = serializers.CharField(
        help_text="The reporter's secret (X-Reporter-Secret). Not stored: shown in this "
        "answer (and a retry's) only."
    )
    private_url = serializers.URLField(help_text="The reporter's private page.")


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    via = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "at", "from_status", "to_status", "message", "office", "via"]

    def get_via(self, event) -> str | None:
        via = (event.data or {}).get("via")
        return via.get("name") if isinstance(via, dict) else None


class FeedEventSerializer(EventSerializer):
    ticket = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "ticket"]

    def get_ticket(self, event) -> str:
        return event.ticket.display_code


class PublicTicketSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display_code")
    status_label = serializers.CharField(source="get_status_display")
    category = NamedSerializer()
    unit = NamedSerializer()
    office = NamedSerializer(allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "code",
            "kind",
            "status",
            "status_label",
            "title",
            "description",
            "category",
            "unit",
            "office",
            "latitude",
            "longitude",
            "address",
            "received_at",
            "due_at",
            "is_overdue",
            "supporter_count",
            "url",
        ]

    def get_is_overdue(self, ticket) -> bool:
        return ticket.is_overdue()

    def get_url(self, ticket) -> str:
        return f"{settings.SITE_URL}{reverse('public:track', args=[ticket.code])}"


class TicketDetailSerializer(PublicTicketSerializer):
    timeline = EventSerializer(many=True, source="api_timeline")

    class Meta(PublicTicketSerializer.Meta):
        fields = [*PublicTicketSerializer.Meta.fields, "source_ref", "timeline"]


class CitizenViewSerializer(TicketDetailSerializer):
    actions = serializers.ListField(
        child=serializers.CharField(), source="api_actions", help_text="reply, rate, reopen, survey"
    )

    class Meta(TicketDetailSerializer.Meta):
        fields = [*TicketDetailSerializer.Meta.fields, "actions"]


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name")
    phone = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")
    address = serializers.CharField(source="contact_address")


class StaffTicketSerializer(TicketDetailSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    contact = serializers.SerializerMethodField()
    allowed_actions = serializers.ListField(child=serializers.CharField(), source="api_actions")

    class Meta(TicketDetailSerializer.Meta):
        fields = [
            *TicketDetailSerializer.Meta.fields,
            "channel",
            "priority",
            "is_public",
            "is_confidential",
            "is_complex",
            "is_especially_complex",
            "assignee",
            "ack_due_at",
            "acknowledged_at",
            "accepted_at",
            "paused_since",
            "extensions",
            "contact",
            "allowed_actions",
        ]

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, ticket) -> dict | None:
        if not getattr(ticket, "api_show_contact", False):
            return None
        return ContactSerializer(ticket).data


class StaffRowSerializer(PublicTicketSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta(PublicTicketSerializer.Meta):
        fields = [*PublicTicketSerializer.Meta.fields, "channel", "priority", "assignee"]


class StaffActionSerializer(serializers.Serializer):
    """What the staff actions read; each action takes only its own fields
    (see the endpoint's description)."""

    message = serializers.CharField(required=False, max_length=10_000, allow_blank=True)
    reason = serializers.CharField(required=False, max_length=10_000, allow_blank=True)
    assignee = serializers.IntegerField(required=False, help_text="assign: the user id")
    to_office = serializers.IntegerField(required=False, help_text="transfer: the office id")
    into = serializers.CharField(required=False, max_length=20, help_text="merge: a ticket code")
    grounds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=20,
        help_text="refuse: codes of the law's refusal grounds (kn-11-1..9, tc-25-1a..d)",
    )
    level = serializers.CharField(
        required=False, max_length=20, help_text="declare_complex: complex, especially_complex"
    )
    ground = serializers.CharField(
        required=False, max_length=20, help_text="suspend: 34-1a or 34-1b"
    )


class ReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=10_000)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10_000)


class RateSerializer(serializers.Serializer):
    overall = serializers.IntegerField(min_value=1, max_value=5)
    timeliness = serializers.IntegerField(min_value=1, max_value=5, required=False)
    attitude = serializers.IntegerField(min_value=1, max_value=5, required=False)
    quality = serializers.IntegerField(min_value=1, max_value=5, required=False)
    comment = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class SurveySerializer(serializers.Serializer):
    """The satisfaction survey (docs/scores.md): each answer 1-5 or left out,
    at least one given."""

    access = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text="Access to information"
    )
    procedure = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text="The procedure"
    )
    conduct = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text="The officer's conduct"
    )
    result = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text="The result"
    )
    handling = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        help_text="The handling of feedback",
    )


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    questions = serializers.JSONField(
        source="extra_fields", help_text="Extra questions (Open311 attributes)."
    )

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_en",
            "parent",
            "default_kind",
            "location_required",
            "questions",
        ]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "kind", "parent"]


class OfficeSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Office
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "peer_group",
            "unit",
            "email",
            "phone",
            "address",
        ]


class RankingSerializer(serializers.Serializer):
    office = serializers.IntegerField(source="office_id")
    name = serializers.CharField()
    peer_group = serializers.CharField()
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    overdue_now = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="Share of ratings of 4 or 5 stars, the city's way."
    )
    satisfaction_766 = serializers.FloatField(
        allow_null=True,
        help_text="Decision 766/QĐ-TTg: (items - rated 1-3 - overdue) / items x 100.",
    )
    reopen_rate = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(
        allow_null=True, help_text="The product's own composite score (docs/scores.md)."
    )
    ranked = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    band = serializers.CharField(
        allow_null=True,
        help_text="The city's band of satisfaction_rate: high over 90, low under 70; "
        "null with too few ratings.",
    )


class PublicTicketPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PublicTicketSerializer(many=True)


class InboxPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StaffRowSerializer(many=True)
