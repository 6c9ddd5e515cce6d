"""Machines that file and follow tickets: partner systems with API keys,
their webhook subscriptions and the log of every webhook delivery.

A key is shown once when it is made and stored only as a SHA-256 hash (the
key is 256 random bits, so a slow password hash would add nothing but
latency to every call)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import AdministrativeUnit, Category, Office, Ticket, TicketEvent

# Channels a partner system may file on. Web is the public form's; the
# staff channels (walk-in, paper) are typed in by an officer.
CLIENT_CHANNELS = [
    c
    for c in Ticket.Channel.choices
    if c[0]
    in (
        Ticket.Channel.API,
        Ticket.Channel.PARTNER,
        Ticket.Channel.HOTLINE,
        Ticket.Channel.SOCIAL,
        Ticket.Channel.EMAIL,
    )
]


class ApiClient(models.Model):
    """A partner system (a city app, a hotline CRM, a ward's case system)."""

    class Scope(models.TextChoices):
        FILE = "file", _("Gửi phản ánh")
        READ_PUBLIC = "read_public", _("Đọc dữ liệu công khai")
        READ_OWN = "read_own", _("Đọc phản ánh do hệ thống này gửi")
        STAFF = "staff", _("Xử lý phản ánh của một cơ quan")
        BACKFILL = "backfill", _("Nhập thời điểm tiếp nhận thực tế")

    name = models.CharField(_("tên hệ thống"), max_length=100, unique=True)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("phạm vi"), default=list, blank=True)
    channel = models.CharField(
        _("kênh"),
        max_length=16,
        choices=CLIENT_CHANNELS,
        default=Ticket.Channel.API,
        help_text=_("Reports filed with this key carry this channel."),
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("cơ quan"),
        help_text=_("Staff scope: the one office whose tickets this key works."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("tài khoản thực hiện"),
        help_text=_("Staff scope: the officer of that office the actions are recorded as."),
    )
    rate_limit = models.CharField(
        _("giới hạn tần suất"),
        max_length=20,
        default="600/m",
        help_text=_("Requests per period, e.g. 600/m, 20/s, 10000/h."),
    )
    daily_quota = models.PositiveIntegerField(_("hạn mức mỗi ngày"), default=20_000)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hệ thống đối tác (khóa API)")
        verbose_name_plural = _("hệ thống đối tác (khóa API)")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def _officer_of_office(self) -> bool:
        if self.office_id is None or self.user_id is None:
            return False
        from feedback import permissions

        return permissions.can_act(self.user, Ticket(office_id=self.office_id))

    def clean(self) -> None:
        unknown = set(self.scopes or []) - set(self.Scope.values)
        if unknown:
            raise ValidationError({"scopes": _("Phạm vi không hợp lệ: %s") % ", ".join(unknown)})
        if self.has_scope(self.Scope.STAFF) and not self._officer_of_office():
            raise ValidationError(
                _("Khóa xử lý phản ánh cần một cơ quan và một tài khoản cán bộ của cơ quan đó.")
            )
        from django_ratelimit.core import _split_rate

        try:
            _split_rate(self.rate_limit)
        except (ValueError, KeyError, AttributeError):
            raise ValidationError(
                {"rate_limit": _("Viết theo dạng số/đơn vị, ví dụ 600/m.")}
            ) from None


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A partner's subscription to ticket events, with its signing secret."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    secret = models.CharField(
        _("khóa ký"),
        max_length=64,
        default=new_webhook_secret,
        help_text=_("HMAC-SHA256 key; give it to the partner once, over a safe channel."),
    )
    kinds = models.JSONField(
        _("loại sự kiện"), default=list, blank=True, help_text=_("Empty: every kind.")
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("địa bàn"),
        help_text=_("Only tickets in this unit and the units under it; empty: all."),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lĩnh vực"),
        help_text=_("Only tickets in this category and its subcategories; empty: all."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["client__name", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")

    def __str__(self) -> str:
        return f"{self.client}: {self.url}"

    def clean(self) -> None:
        unknown = set(self.kinds or []) - set(TicketEvent.Kind.values)
        if unknown:
            raise ValidationError(
                {"kinds": _("Loại sự kiện không hợp lệ: %s") % ", ".join(unknown)}
            )


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row and its log. The body
    is fixed when the row is written (in the event's transaction), so a
    retry or a replay sends the same bytes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        DELIVERED = "delivered", _("Đã gửi")
        FAILED = "failed", _("Thất bại (đã ngừng thử)")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(TicketEvent, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("lần gửi webhook")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uid} ({self.get_status_display()})"
