"""The weekly digest for leaders and heads: in their area, what is overdue
now, the slowest offices and the biggest changes from the week before; in
the recipient's language; with an opt-out kept on their preferences and a
one-click link in every digest (workers.tasks.send_weekly_digest, Celery
beat, Monday morning)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from feedback import scores
from feedback.models import Membership, Office, StaffPreference, Ticket, overdue_q

WEEK = timedelta(days=7)
TOP = 5
OVERDUE_LISTED = 10
# A digest is sent at most once in this long, however often the task runs.
RESEND_AFTER = timedelta(days=6)
UNSUBSCRIBE_SALT = "feedback.digest.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_token(token: str):
    """The user a one-click link was made for, or None (forged or mangled).
    The link does not expire: stopping a digest must always work."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def stop(user) -> None:
    StaffPreference.objects.update_or_create(user=user, defaults={"digest": False})


@dataclass
class Change:
    """This week against the week before: reports received and resolved
    (both exact from the records; what was overdue a week ago is not)."""

    office: Office
    received: int
    received_before: int
    resolved: int
    resolved_before: int

    @property
    def size(self) -> int:
        return abs(self.received - self.received_before) + abs(self.resolved - self.resolved_before)


@dataclass
class Area:
    """One membership's view: an office (a head) or a unit subtree (a leader)."""

    label: str
    overdue_count: int = 0
    overdue: list[Ticket] = field(default_factory=list)
    slowest: list[tuple[Office, scores.OfficeScore]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


class Week:
    """The numbers every digest of one run reads, computed once: each
    office's figures for the last seven days and the seven before, by the
    transparency rankings' definitions (feedback.scores)."""

    def __init__(self, now: datetime):
        self.now = now
        self.this = {
            r.office_id: r for r in scores.office_rankings(start=now - WEEK, end=now, now=now)
        }
        self.last = {
            r.office_id: r
            for r in scores.office_rankings(start=now - 2 * WEEK, end=now - WEEK, now=now)
        }


def _area_offices(membership: Membership):
    if membership.role == Membership.Role.HEAD:
        return Office.objects.filter(pk=membership.office_id)
    return Office.objects.filter(
        is_active=True, unit__path__startswith=membership.office.unit.path
    ).order_by("name")


def area(membership: Membership, week: Week) -> Area:
    offices = list(_area_offices(membership))
    ids = [o.pk for o in offices]
    label = (
        membership.office.name
        if membership.role == Membership.Role.HEAD
        else membership.office.unit.name
    )
    overdue = Ticket.objects.filter(overdue_q(week.now), office_id__in=ids)
    result = Area(
        label=label,
        overdue_count=overdue.count(),
        overdue=list(overdue.select_related("office").order_by("due_at")[:OVERDUE_LISTED]),
    )
    if len(offices) > 1:
        measured = [
            (o, week.this[o.pk])
            for o in offices
            if o.pk in week.this and week.this[o.pk].sample >= settings.FEEDBACK_MIN_SAMPLE
        ]
        measured.sort(key=lambda pair: (pair[1].on_time_rate, pair[0].name))
        result.slowest = measured[:TOP]
    changes = []
    for o in offices:
        this, before = week.this.get(o.pk), week.last.get(o.pk)
        if this is None or before is None:
            continue
        change = Change(o, this.received, before.received, this.resolved, before.resolved)
        if change.size:
            changes.append(change)
    changes.sort(key=lambda c: (-c.size, c.office.name))
    result.changes = changes[:TOP]
    return result


def recipients() -> dict:
    """Heads and leaders with an e-mail address who have not opted out:
    {user: [memberships]}."""
    memberships = (
        Membership.objects.filter(
            role__in=(Membership.Role.HEAD, Membership.Role.LEADER),
            office__is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(user__staff_preference__digest=False)
        .select_related("user", "office__unit")
        .order_by("user_id", "office__name")
    )
    by_user = defaultdict(list)
    for m in memberships:
        by_user[m.user].append(m)
    return by_user


def _claim(user, now: datetime) -> bool:
    """At most one digest a week per person, even if the task runs twice
    or two workers run it at once: a conditional UPDATE claims the send."""
    StaffPreference.objects.get_or_create(user=user)
    return bool(
        StaffPreference.objects.filter(user=user, digest=True)
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - RESEND_AFTER))
        .update(digest_sent_at=now)
    )


def language_of(user) -> str:
    pref = StaffPreference.objects.filter(user=user).first()
    return pref.language if pref and pref.language else settings.LANGUAGE_CODE


def message(user, memberships, week: Week) -> EmailMessage:
    token = unsubscribe_token(user)
    stop_url = settings.SITE_URL + reverse("staff:digest_stop", args=[token])
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "areas": [area(m, week) for m in memberships],
            "start": week.now - WEEK,
            "now": week.now,
            "site_url": settings.SITE_URL,
            "stop_url": stop_url,
            "settings_url": settings.SITE_URL + reverse("staff:digest_settings"),
        }
        subject = " ".join(render_to_string("emails/digest_subject.txt", context).split())
        body = render_to_string("emails/digest.txt", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            # One click in the mail program stops it (RFC 8058).
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_all(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    week = Week(now)
    sent = 0
    for user, memberships in recipients().items():
        if not _claim(user, now):
            continue
        message(user, memberships, week).send()
        sent += 1
    return sent
