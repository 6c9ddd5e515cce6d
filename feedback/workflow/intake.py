"""Intake: a new ticket, from any door (the public form, the API, staff
intake of calls, posts, visits and paper forms, the CSV backfill). Every
rule about what a report must carry, who may give what and how a retried
submission is recognised lives here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from feedback import outbound, permissions
from feedback.attachments import CleanFile
from feedback.attachments import discard as attachments_discard
from feedback.attachments import store as attachments_store
from feedback.coordinates import parse_point
from feedback.errors import Forbidden, InvalidTransition, ValidationFailed
from feedback.models import AdministrativeUnit, Category, Ticket
from feedback.reporter_link import reporter_secret
from feedback.workflow.core import (
    CLOCK_SKEW,
    SELF_SERVICE_CHANNELS,
    E,
    actor_label,
    lock,
    may_be_public,
    now_or,
    queue_on_commit,
    record,
    require_text,
    search_text,
)

_KEY_LENGTH = Ticket._meta.get_field("idempotency_key").max_length


def scoped_key(scope: str, key: str | None) -> str | None:
    """The stored form of a client's idempotency key: "<scope>:<key>", with
    an over-long key replaced by its SHA-256 so the stored form always fits."""
    if not key:
        return None
    stored = f"{scope}:{key}"
    if len(stored) > _KEY_LENGTH:
        stored = f"{scope}:#{hashlib.sha256(key.encode()).hexdigest()}"
    return stored[:_KEY_LENGTH]


@dataclass(frozen=True)
class Submission:
    """What ticket_submit did: the ticket, the reporter's private-link
    secret, and whether this call created the ticket (False: a replay of an
    idempotency key already used, which returns the first ticket)."""

    ticket: Ticket
    secret: str
    created: bool


def ticket_submit(
    *,
    kind: str,
    category: Category,
    unit: AdministrativeUnit,
    title: str = "",
    description: str,
    channel: str,
    received_at: datetime | None = None,
    entered_by=None,
    priority: str = Ticket.Priority.NORMAL,
    is_complex: bool = False,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    extra: dict | None = None,
    source_ref: str = "",
    source_data: dict | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    notify_by: str = Ticket.NotifyBy.EMAIL,
    language: str = "",
    consent: bool = False,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    is_public: bool = True,
    idempotency_key: str | None = None,
    idempotency_scope: str | None = None,
    api_client=None,
    attachments: Sequence[CleanFile] = (),
    at: datetime | None = None,
) -> Submission:
    """Store a new ticket and queue its routing on commit. A replay of the
    same idempotency key returns the first ticket (and stores no files
    again) with `created` False; the same key with other content is a
    conflict. The unique index decides, so two concurrent submissions with
    one key make one ticket and exactly one of them reports it created.
    Keys are scoped: `idempotency_scope` (default: the channel) names the
    door or the client, so a key sent through one door can never replay,
    or block, a submission made through another. A partner system's key
    (`api_client`) is a door of its own: its keys are scoped to it.

    `api_client`, the partner system whose API key files the ticket: it may
    file on the channel it serves (a hotline CRM on "hotline") without an
    officer typing it in, and give the true receipt time if its key has the
    backfill scope.

    `attachments` are files already checked by feedback.attachments.validate;
    they are stored in the ticket's transaction: all or nothing.

    `notify_by` ("email" or "sms") and `language` (a code of LANGUAGES;
    default the site's) are how the reporter hears of changes: the web form
    passes the page's language, the API and staff intake what the citizen
    asked for."""
    now = now_or(at)
    if kind not in Ticket.Kind.values:
        raise ValidationFailed(_("Loại phản ánh không hợp lệ."), field="kind")
    if channel not in Ticket.Channel.values:
        raise ValidationFailed(_("Kênh tiếp nhận không hợp lệ."), field="channel")
    if priority not in Ticket.Priority.values:
        raise ValidationFailed(_("Mức độ không hợp lệ."), field="priority")
    if category is None or not category.is_active:
        raise ValidationFailed(_("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng."), field="category")
    if (
        unit is None
        or not unit.is_active
        or unit.kind
        not in (
            AdministrativeUnit.Kind.WARD,
            AdministrativeUnit.Kind.COMMUNE,
            AdministrativeUnit.Kind.SPECIAL_ZONE,
        )
    ):
        raise ValidationFailed(_("Vui lòng chọn phường, xã đang hoạt động."), field="unit")
    description = require_text(description, "description", _("nội dung phản ánh"))
    title = (title or "").strip()[:200] or " ".join(description.split())[:80]

    lat, lng = parse_point(latitude, longitude)
    if category.location_required and lat is None and not address.strip():
        raise ValidationFailed(
            _("Lĩnh vực này cần vị trí: chọn trên bản đồ hoặc nhập địa chỉ."), field="address"
        )

    if entered_by is not None and not permissions.can_take_reports(entered_by):
        raise Forbidden(_("Bạn không có quyền nhập phản ánh cho người dân."))
    # A partner system answers for what it files with its key, as an officer
    # does for what they type in; the receipt time is given only by an
    # officer or by a key trusted with backfill.
    if channel not in SELF_SERVICE_CHANNELS and entered_by is None and api_client is None:
        raise ValidationFailed(_("Phản ánh qua kênh này phải do cán bộ nhập."), field="channel")
    may_backdate = entered_by is not None or (
        api_client is not None and api_client.has_scope("backfill")
    )
    if received_at is None:
        received_at = now
    elif not may_backdate and received_at != now:
        raise ValidationFailed(
            _("Chỉ cán bộ mới được nhập thời điểm tiếp nhận."), field="received_at"
        )
    if received_at > now + CLOCK_SKEW:
        raise ValidationFailed(_("Thời điểm tiếp nhận không thể ở tương lai."), field="received_at")
    if received_at < now - timedelta(days=366):
        raise ValidationFailed(_("Thời điểm tiếp nhận quá cũ (hơn một năm)."), field="received_at")
    received_at = min(received_at, now)

    contact = {
        "contact_name": contact_name.strip()[:150],
        "contact_phone": contact_phone.strip()[:30],
        "contact_email": contact_email.strip()[:254],
        "contact_address": contact_address.strip()[:255],
    }
    has_identity = bool(contact["contact_name"]) and any(
        contact[f] for f in ("contact_phone", "contact_email", "contact_address")
    )
    statutory = kind in (Ticket.Kind.COMPLAINT, Ticket.Kind.DENUNCIATION)
    if statutory and is_anonymous:
        raise ValidationFailed(
            _(
                "Khiếu nại và tố cáo không thể gửi ẩn danh: pháp luật yêu cầu người gửi "
                "ghi rõ họ tên, địa chỉ."
            ),
            field="is_anonymous",
        )
    if statutory and not has_identity:
        raise ValidationFailed(
            _(
                "Khiếu nại và tố cáo cần họ tên và một cách liên hệ "
                "(điện thoại, thư điện tử hoặc địa chỉ)."
            ),
            field="contact_name",
        )
    if kind == Ticket.Kind.DENUNCIATION:
        # Luật Tố cáo art. 9: the denouncer's identity is always secret.
        is_confidential = True
    if not may_be_public(kind):
        is_public = False
    if is_anonymous:
        contact = dict.fromkeys(contact, "")
        notify_by = Ticket.NotifyBy.EMAIL  # nobody to reach: the choice is moot
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Ngôn ngữ không hợp lệ."), field="language")
    if notify_by not in dict(outbound.channels()):
        raise ValidationFailed(_("Cách nhận thông báo không hợp lệ."), field="notify_by")
    if notify_by == Ticket.NotifyBy.SMS and not outbound.normalize_phone(contact["contact_phone"]):
        raise ValidationFailed(
            _("Để nhận tin nhắn SMS, vui lòng nhập số điện thoại di động (ví dụ 0912 345 678)."),
            field="contact_phone",
        )
    has_contact = any(contact.values())
    if has_contact and channel in SELF_SERVICE_CHANNELS and not consent:
        raise ValidationFailed(
            _("Vui lòng đồng ý cho cơ quan xử lý dữ liệu cá nhân để được liên hệ lại."),
            field="consent",
        )

    fields = dict(
        kind=kind,
        category=category,
        unit=unit,
        title=title,
        description=description,
        extra=extra or {},
        channel=channel,
        priority=priority,
        is_complex=is_complex,
        latitude=lat,
        longitude=lng,
        address=address.strip()[:255],
        source_ref=source_ref.strip()[:500],
        source_data=source_data or {},
        consent_at=now if has_contact and consent else None,
        notify_by=notify_by,
        language=language,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        is_public=is_public,
        reporter_key=secrets.token_hex(16),
        received_at=received_at,
        created_at=now,
        created_by=entered_by,
        api_client=api_client,
        idempotency_key=scoped_key(
            idempotency_scope or (f"api:{api_client.pk}" if api_client else channel),
            idempotency_key,
        ),
        **contact,
    )
    stored: list = []
    try:
        with transaction.atomic():
            ticket = Ticket(**fields)
            ticket.search_text = search_text(ticket)
            ticket.save()
            data: dict[str, Any] = {"channel": channel}
            if entered_by is not None:
                data["entered_by"] = entered_by.pk
                data["entered_at"] = now.isoformat()
            if received_at != now:
                data["received_at"] = received_at.isoformat()
            received = record(
                ticket,
                E.RECEIVED,
                at=received_at,
                actor=entered_by,
                actor_name=actor_label(entered_by) if entered_by else "citizen",
                public=True,
                data=data,
                # The receipt's notifications ride with routing, a moment
                # later, in the routing task's one delivery task.
                deliver=None,
            )
            if attachments:
                # Last in the block: nothing after it can fail and leave files behind.
                stored = attachments_store(
                    ticket,
                    attachments,
                    event=received,
                    uploaded_by=entered_by,
                    is_public=is_public,
                )
            owed = [received.pk] if received.notified_at is None else []
            queue_on_commit("workers.tasks.route_ticket", ticket.pk, *owed)
    except IntegrityError:
        attachments_discard(stored)
        if not fields["idempotency_key"]:
            raise
        existing = Ticket.objects.filter(idempotency_key=fields["idempotency_key"]).first()
        if existing is None:
            raise
        if existing.description != description or existing.category_id != category.pk:
            raise InvalidTransition(
                _("Khóa chống gửi trùng này đã dùng cho một phản ánh khác.")
            ) from None
        return Submission(existing, reporter_secret(existing), created=False)
    return Submission(ticket, reporter_secret(ticket), created=True)


def ticket_attach(ticket: Ticket | int, *, files: Sequence[CleanFile]) -> list:
    """Add files that came after the ticket (a partner's `media_url`, fetched
    by a task) to its receipt, within the per-report limit. Stored under the
    RECEIVED event: they are part of what the citizen sent."""
    with transaction.atomic():
        ticket = lock(ticket)
        if ticket.attachments.count() + len(files) > settings.FEEDBACK_MAX_ATTACHMENTS:
            raise ValidationFailed(
                _("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": settings.FEEDBACK_MAX_ATTACHMENTS},
                field="attachments",
            )
        received = ticket.events.filter(kind=E.RECEIVED).order_by("at", "pk").first()
        # Last in the block (store removes its own files if it fails).
        return attachments_store(ticket, files, event=received, is_public=ticket.is_public)
