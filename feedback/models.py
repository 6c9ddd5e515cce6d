"""The domain model. Rules that change tickets live in feedback/workflow/,
not here: these classes hold data, invariants the database can enforce, and
small derived properties."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TreeMixin(models.Model):
    """A materialized path ("/01/00070/") kept from the parent on save, so a
    subtree is one indexed prefix query on any database."""

    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def path_segment(self) -> str:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        old_path = self.path
        parent = self.parent  # type: ignore[attr-defined]
        prefix = parent.path if parent else "/"
        self.path = f"{prefix}{self.path_segment()}/"
        self.depth = 0 if parent is None else parent.depth + 1
        if parent is not None and parent.path and self.pk and parent.path.startswith(old_path):
            raise ValueError("a node cannot be moved under its own subtree")
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Re-root the subtree: rare (an administrator moving a branch).
            for child in type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.save()

    def subtree_q(self, field: str = "") -> Q:
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.path})

    @classmethod
    def subtree_ids(cls, path: str) -> list[int]:
        """The ids of the subtree at `path`, in order (one query). Rows that
        point at the tree are selected by these ids rather than by joining
        it on the path prefix: PostgreSQL cannot estimate the prefix, and
        the ids let it read an index on the foreign key (feedback.figures'
        unit scopes, the leaders' inboxes)."""
        return list(
            cls.objects.filter(path__startswith=path).order_by("pk").values_list("pk", flat=True)
        )

    def ancestors_paths(self) -> list[str]:
        parts = [p for p in self.path.split("/") if p]
        return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class AdministrativeUnit(TreeMixin):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Quốc gia")
        CITY = "city", _("Thành phố trực thuộc trung ương")
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Quận, huyện, thị xã")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")

    code = models.CharField(_("mã đơn vị"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_remote = models.BooleanField(
        _("vùng sâu, vùng xa"),
        default=False,
        help_text=_("Longer legal deadlines for complaints apply in remote areas."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    retired_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)
    search_name = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(retired_on__isnull=False),
                name="unit_retired_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="unit_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.is_active else f"{self.name} ({_('đã sáp nhập')})"

    def path_segment(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        from feedback.text import fold

        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def current(self) -> AdministrativeUnit:
        """The unit that carries this one's work today (after mergers)."""
        unit, seen = self, set()
        while unit.merged_into_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.merged_into
        return unit


class DeadlinePolicy(models.Model):
    class TimeUnit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("giờ làm việc")
        WORKING_DAYS = "working_days", _("ngày làm việc")
        CALENDAR_DAYS = "calendar_days", _("ngày")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    ack_amount = models.PositiveIntegerField(_("thời hạn tiếp nhận"))
    ack_unit = models.CharField(max_length=16, choices=TimeUnit.choices)
    resolve_amount = models.PositiveIntegerField(_("thời hạn giải quyết"))
    resolve_unit = models.CharField(max_length=16, choices=TimeUnit.choices)
    complex_resolve_amount = models.PositiveIntegerField(
        _("thời hạn giải quyết (vụ việc phức tạp)"), null=True, blank=True
    )
    remote_resolve_amount = models.PositiveIntegerField(
        _("thời hạn giải quyết (vùng sâu, vùng xa)"), null=True, blank=True
    )
    remote_complex_resolve_amount = models.PositiveIntegerField(
        _("thời hạn giải quyết (vùng sâu, vùng xa, phức tạp)"), null=True, blank=True
    )
    extension_amount = models.PositiveIntegerField(_("mỗi lần gia hạn"), null=True, blank=True)
    max_extensions = models.PositiveSmallIntegerField(_("số lần gia hạn tối đa"), default=0)
    forward_amount = models.PositiveIntegerField(
        _("thời hạn chuyển đơn khi không thuộc thẩm quyền"), null=True, blank=True
    )
    forward_unit = models.CharField(
        max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    pauses_for_citizen = models.BooleanField(_("dừng đếm khi chờ công dân bổ sung"), default=True)
    warn_fraction = models.FloatField(
        _("cảnh báo khi đã dùng"),
        default=0.75,
        help_text=_("Share of the time after which the office is warned (0.75 = 75%)."),
    )

    class Meta:
        verbose_name = _("chính sách thời hạn")
        verbose_name_plural = _("chính sách thời hạn")
        constraints = [
            models.CheckConstraint(
                condition=Q(warn_fraction__gt=0) & Q(warn_fraction__lt=1),
                name="policy_warn_fraction_between_0_and_1",
            ),
            models.CheckConstraint(condition=Q(resolve_amount__gt=0), name="policy_resolve_gt_0"),
        ]

    def __str__(self) -> str:
        return self.name


class OfficialDay(models.Model):
    """One day of the official calendar that the `holidays` package may not
    know or may know differently: a day off (a holiday, a substituted day,
    one side of a swap) or a working day (a make-up Saturday, a day the
    package calls a holiday that the law does not yet). A row overrides the
    package for its date; feedback.deadlines reads the table, and changing
    it moves the due dates of open tickets (feedback.workflow.calendar)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=150)
    legal_source = models.CharField(
        _("căn cứ"),
        max_length=300,
        help_text=_("The legal text or official notice this day comes from."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày trong lịch chính thức")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm việc chính thức")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Category(TreeMixin):
    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
        COMPLAINT = "complaint", _("Khiếu nại")
        DENUNCIATION = "denunciation", _("Tố cáo")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    default_kind = models.CharField(
        _("loại mặc định"), max_length=16, choices=Kind.choices, default=Kind.FEEDBACK
    )
    deadline_policy = models.ForeignKey(
        DeadlinePolicy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: inherit from the parent category, then the preset for the kind."),
    )
    urgent_deadline_policy = models.ForeignKey(
        DeadlinePolicy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Used for urgent tickets in this category; empty: the urgent preset."),
    )
    location_required = models.BooleanField(_("bắt buộc vị trí"), default=False)
    # Open311 "attributes": [{"code","description","datatype","required","values":[...]}]
    extra_fields = models.JSONField(_("câu hỏi bổ sung"), default=list, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name

    def path_segment(self) -> str:
        return self.code

    def effective_policy(self, *, urgent: bool = False) -> DeadlinePolicy | None:
        node: Category | None = self
        while node is not None:
            policy = node.urgent_deadline_policy if urgent else node.deadline_policy
            if policy is not None:
                return policy
            node = node.parent
        return None


class Office(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        AGENCY = "agency", _("Cơ quan, đơn vị sự nghiệp")
        DISPATCH = "dispatch", _("Bộ phận điều phối")

    class PeerGroup(models.TextChoices):
        CITY = "city", _("Thành phố")
        WARDS = "wards", _("Khối phường, xã")
        DEPARTMENTS = "departments", _("Khối sở, ban, ngành")
        AGENCIES = "agencies", _("Khối cơ quan, đơn vị")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    peer_group = models.CharField(_("nhóm xếp hạng"), max_length=16, choices=PeerGroup.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("địa bàn"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="office_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["kind", "unit"])]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user's place in an office. Officers and heads work its tickets; a
    leader reads everything located in the office's unit subtree."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Cán bộ")
        HEAD = "head", _("Lãnh đạo cơ quan")
        LEADER = "leader", _("Lãnh đạo theo dõi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OFFICER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.get_role_display()})"


class RoutingRule(models.Model):
    """(category subtree or any) x (unit subtree or any) -> office. The most
    specific match wins (deepest category, then deepest unit); ties go to
    the lower priority number."""

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="routing_rules")
    priority = models.PositiveSmallIntegerField(
        _("ưu tiên"), default=100, help_text=_("Lower wins among equally specific rules.")
    )
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")

    def __str__(self) -> str:
        cat = self.category or _("mọi lĩnh vực")
        unit = self.unit or _("mọi địa bàn")
        return f"#{self.pk}: {cat} × {unit} → {self.office}"


def new_tracking_code() -> str:
    """Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L,
    no U/V), shown as XXXX-XXXX: about 10^12 codes, unguessable, easy to
    read out over a phone line."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def display_code(code: str) -> str:
    """A tracking code as people read it out: XXXX-XXXX."""
    return f"{code[:4]}-{code[4:]}"


def clock_running_q(prefix: str = "") -> Q:
    """The one definition of "the ticket's clock runs": it is open and not
    paused. `paused_since` is set only when the clock really stops: waiting
    for the citizen where the ticket's policy pauses (pauses_for_citizen),
    or a written suspension of a complaint or a denunciation.
    Sweeps, selectors, scores and pages all use it (or Ticket.clock_running
    for one row); `prefix` reaches tickets through a relation ("ticket__")."""
    return Q(**{f"{prefix}status__in": Ticket.OPEN_STATUSES, f"{prefix}paused_since__isnull": True})


def overdue_q(now, prefix: str = "") -> Q:
    """The one definition of "overdue at `now`": the clock runs and the due
    date has passed (Ticket.is_overdue for one row)."""
    return clock_running_q(prefix) & Q(**{f"{prefix}due_at__lt": now})


def ack_clock_running_q(prefix: str = "") -> Q:
    """The one definition of "the receipt/acceptance clock runs": the ticket
    is at an office that has neither acknowledged it (reports) nor accepted
    or refused it (complaints, denunciations), and it has an ack_due_at
    (Ticket.ack_clock_running for one row)."""
    return Q(
        **{
            f"{prefix}status": Ticket.Status.ROUTED,
            f"{prefix}acknowledged_at__isnull": True,
            f"{prefix}ack_due_at__isnull": False,
        }
    )


def ack_overdue_q(now, prefix: str = "") -> Q:
    """Past the receipt/acceptance deadline with that clock running
    (Ticket.is_ack_overdue)."""
    return ack_clock_running_q(prefix) & Q(**{f"{prefix}ack_due_at__lt": now})


# "Due soon" in the inbox: warned by the sweep, or due within this window.
DUE_SOON = timedelta(hours=24)


def due_soon_q(now, prefix: str = "") -> Q:
    """Not yet overdue, and warned or due within DUE_SOON (Ticket.is_due_soon)."""
    return (
        clock_running_q(prefix)
        & Q(**{f"{prefix}due_at__gte": now})
        & (
            Q(**{f"{prefix}warned_at__isnull": False})
            | Q(**{f"{prefix}due_at__lte": now + DUE_SOON})
        )
    )


def awaiting_ack_q(prefix: str = "") -> Q:
    """The one definition of "new to the office": routed to it, or reopened,
    and not yet acknowledged (the statuses the acknowledge action starts
    from, workflow.STAFF_ACTION_FROM["acknowledge"])."""
    return Q(**{f"{prefix}status__in": Ticket.AWAITING_ACK_STATUSES})


def inbox_order(*, index: bool = False) -> list:
    """The inbox's order: work not yet acknowledged first, by its receipt
    deadline (ack_due_at), then the rest by the resolve deadline; ties by
    receipt. The index ticket_inbox_open is built on these same expressions,
    so the first page is read from the index's start without a sort."""
    new = Q(status__in=["routed", "reopened"])
    return [
        models.Case(models.When(new, then=models.Value(0)), default=models.Value(1)),
        models.Case(models.When(new, then=models.F("ack_due_at")), default=models.F("due_at")).asc(
            nulls_last=None if index else True
        ),
        models.F("received_at").asc(),
        models.F("id").asc(),
    ]


class TicketQuerySet(models.QuerySet):
    def clock_running(self) -> TicketQuerySet:
        return self.filter(clock_running_q())

    def overdue(self, now) -> TicketQuerySet:
        return self.filter(overdue_q(now))

    def ack_overdue(self, now) -> TicketQuerySet:
        return self.filter(ack_overdue_q(now))


class ChoiceLabels:
    """get_FOO_display() from a label map built once per field. Django's own
    builds a dict of every choice on each call, hashing each lazy label (a
    translation lookup each): 425 lookups for one inbox page, for 75 labels
    shown. Same result: the label in the active language, or the value
    itself when it is not among the choices."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field.__dict__["_choice_labels"] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class Ticket(ChoiceLabels, models.Model):
    Kind = Category.Kind

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ROUTED = "routed", _("Đã chuyển xử lý")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        AWAITING_CITIZEN = "awaiting_citizen", _("Chờ bổ sung thông tin")
        RESOLVED = "resolved", _("Đã giải quyết")
        REOPENED = "reopened", _("Mở lại")
        CLOSED = "closed", _("Đã đóng")
        REJECTED = "rejected", _("Từ chối / gộp")

    OPEN_STATUSES = (
        Status.RECEIVED,
        Status.ROUTED,
        Status.IN_PROGRESS,
        Status.AWAITING_CITIZEN,
        Status.REOPENED,
    )
    # Waiting for the office to acknowledge it (see awaiting_ack_q).
    AWAITING_ACK_STATUSES = (Status.ROUTED, Status.REOPENED)

    class NotifyBy(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Bình thường")
        URGENT = "urgent", _("Khẩn cấp")

    class Channel(models.TextChoices):
        WEB = "web", _("Cổng thông tin")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        HOTLINE = "hotline", _("Đường dây nóng")
        SOCIAL = "social", _("Mạng xã hội")
        WALK_IN = "walk_in", _("Trực tiếp")
        PAPER = "paper", _("Hồ sơ giấy")
        EMAIL = "email", _("Thư điện tử")
        PARTNER = "partner", _("Hệ thống đối tác")

    code = models.CharField(_("mã tra cứu"), max_length=8, unique=True, default=new_tracking_code)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.FEEDBACK)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    priority = models.CharField(
        _("mức độ"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    # Denunciations: an especially complex case may be extended twice (Luật
    # Tố cáo 2018 art. 30(2)-(3)); implies is_complex.
    is_especially_complex = models.BooleanField(_("vụ việc đặc biệt phức tạp"), default=False)
    # Complaints: 2 for a second-instance complaint at the superior body,
    # linked to the first (Luật Khiếu nại 2011 art. 33, 37).
    instance = models.PositiveSmallIntegerField(_("lần giải quyết"), default=1)
    previous_instance = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_instances",
        verbose_name=_("khiếu nại lần đầu"),
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets")
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("phường, xã"),
    )
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"))
    extra = models.JSONField(_("thông tin bổ sung"), default=dict, blank=True)

    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    source_ref = models.CharField(_("số hồ sơ / liên kết nguồn"), max_length=500, blank=True)
    source_data = models.JSONField(default=dict, blank=True)
    # The partner system whose API key filed it: its "read own" scope, its
    # webhooks and its idempotency keys follow the ticket through this.
    api_client = models.ForeignKey(
        "api.ApiClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        editable=False,
    )

    # Private: never on a public page or the public API.
    contact_name = models.CharField(_("họ tên"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    # How and in which language the reporter hears of changes: chosen at
    # intake (the page's language on the web form), see feedback/outbound.py.
    notify_by = models.CharField(
        _("nhận thông báo qua"), max_length=10, choices=NotifyBy.choices, default=NotifyBy.EMAIL
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    contact_address = models.CharField(_("địa chỉ liên hệ"), max_length=255, blank=True)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu lúc"), null=True, blank=True)
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False)
    is_confidential = models.BooleanField(_("bảo mật danh tính"), default=False)
    is_public = models.BooleanField(_("công khai"), default=True)
    # A random key per ticket; the reporter's private link carries an HMAC of
    # it (feedback.reporter_link), so any later email can repeat
    # the link without the secret being stored.
    reporter_key = models.CharField(max_length=32, blank=True, editable=False)

    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    routing_rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    routing_reason = models.CharField(_("lý do chuyển"), max_length=255, blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    created_at = models.DateTimeField(_("thời điểm nhập"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_tickets",
    )
    updated_at = models.DateTimeField(auto_now=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Working time from receipt to acknowledgement and to the first
    # response, in minutes (feedback.deadlines.working_duration), written by
    # the workflow with the timestamp: medians and 90th percentiles over a
    # million tickets are then one SQL aggregate, not a holiday calendar
    # walked in Python per ticket.
    ack_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    answer_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    ack_due_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    forward_due_at = models.DateTimeField(_("hạn chuyển đơn"), null=True, blank=True)
    # Complaints and denunciations: when the office accepted the case for
    # handling (thụ lý). Their resolution periods count from this date (Luật
    # Khiếu nại 2011 art. 28, 37; Luật Tố cáo 2018 art. 30(1)).
    accepted_at = models.DateTimeField(_("ngày thụ lý"), null=True, blank=True)
    # When the resolution period now running began: receipt, acceptance, a
    # reopening. Warnings measure 75% from here. Before a complaint or a
    # denunciation is accepted, the latest lawful acceptance (ack_due_at).
    clock_started_at = models.DateTimeField(null=True, blank=True)
    # Denunciations: screening extended to 10 working days (Luật Tố cáo 2018
    # art. 24(1)).
    screening_extended = models.BooleanField(_("gia hạn xử lý ban đầu"), default=False)
    # Set while the resolution clock is stopped: waiting for the citizen
    # (only where the policy pauses) or a written suspension (tạm đình chỉ).
    paused_since = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The receipt/acceptance clock (ack_due_at) began here (receipt; for a
    # denunciation transferred to the competent body, the transfer); it is
    # warned and breached apart from the resolution clock and stops at
    # acknowledged_at.
    ack_started_at = models.DateTimeField(null=True, blank=True)
    ack_warned_at = models.DateTimeField(null=True, blank=True)
    ack_breached_at = models.DateTimeField(null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    refusals = models.PositiveSmallIntegerField(_("số lần trả lại"), default=0)
    round = models.PositiveSmallIntegerField(_("lượt giải quyết"), default=1)

    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    supporter_count = models.PositiveIntegerField(_("số người cùng phản ánh"), default=0)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ticket_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="ticket_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="received") | Q(office__isnull=False) | Q(status="rejected"),
                name="ticket_routed_has_office",
            ),
            models.CheckConstraint(
                condition=~Q(kind="denunciation") | Q(is_anonymous=False),
                name="ticket_denunciation_not_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(is_especially_complex=False) | Q(is_complex=True),
                name="ticket_especially_complex_is_complex",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="ticket_not_duplicate_of_itself"
            ),
            models.CheckConstraint(
                condition=Q(created_at__gte=models.F("received_at")),
                name="ticket_received_before_entered",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_at"], name="ticket_inbox"),
            # The inbox's first page in its own order (inbox_order(): new work
            # by its receipt deadline, then the rest by the resolve deadline,
            # across all the open statuses): read from the index's start, 25
            # rows, instead of sorting every open ticket of the office.
            # Ticket.OPEN_STATUSES and AWAITING_ACK_STATUSES cannot be named
            # from Meta; tests check these are the same.
            # PostgreSQL sorts NULLs last in an ascending index by default, so
            # the index is written without NULLS LAST (which SQLite, the
            # embedded default, refuses in an index) and still serves
            # inbox_order()'s "ASC NULLS LAST". It also holds what the tab
            # counts (selectors.inbox_counts) filter on, so PostgreSQL counts
            # an office's open tickets from the index alone.
            models.Index(
                "office",
                *inbox_order(index=True),
                condition=Q(
                    status__in=["received", "routed", "in_progress", "awaiting_citizen", "reopened"]
                ),
                include=["status", "paused_since", "due_at", "warned_at", "assignee"],
                name="ticket_inbox_open",
            ),
            models.Index(fields=["status", "due_at"], name="ticket_sweep_due"),
            # The tickets whose clock runs (clock_running_q), by due date:
            # the longest overdue first (the dashboard's overdue list reads
            # ten from the index's start instead of sorting every overdue
            # ticket of the city: 370 ms -> 0.5 ms at a million tickets).
            models.Index(
                fields=["due_at", "id"],
                condition=Q(
                    status__in=["received", "routed", "in_progress", "awaiting_citizen", "reopened"]
                )
                & Q(paused_since__isnull=True),
                name="ticket_running_due",
            ),
            models.Index(fields=["status", "created_at"], name="ticket_sweep_unrouted"),
            models.Index(fields=["office", "received_at"], name="ticket_office_period"),
            # Reads across a unit subtree (a leader's inbox and the tickets
            # behind a city-wide dashboard figure) select by unit id and
            # find their rows, filters and inbox_order() in these indexes
            # alone (PostgreSQL's index-only scans; `include` is ignored
            # elsewhere), instead of reading tens of thousands of wide rows
            # to show 25: 0.6-1.1 s -> 0.12-0.28 s at a million tickets
            # (docs/performance.md). The columns are those of
            # figures._ticket_filters, models.*_q and inbox_order().
            models.Index(
                fields=["unit", "received_at"],
                include=["id", "status", "ack_due_at", "due_at", "acknowledged_at", "paused_since"],
                name="ticket_unit_period",
            ),
            # The open tickets of a subtree: the inbox's tab counts and the
            # overdue and backlog figures. Same statuses as ticket_inbox_open.
            models.Index(
                fields=["unit"],
                include=[
                    "id",
                    "status",
                    "paused_since",
                    "due_at",
                    "ack_due_at",
                    "acknowledged_at",
                    "warned_at",
                    "received_at",
                    "assignee",
                ],
                condition=Q(
                    status__in=["received", "routed", "in_progress", "awaiting_citizen", "reopened"]
                ),
                name="ticket_open_unit",
            ),
            # Tickets reached from their events or ratings (the figures that
            # count resolutions, reopenings, ratings): place and order by id.
            models.Index(
                fields=["id"],
                include=["unit", "status", "ack_due_at", "due_at", "received_at"],
                name="ticket_place_order",
            ),
            models.Index(fields=["is_public", "status", "received_at"], name="ticket_public"),
            models.Index(fields=["category", "unit", "status"], name="ticket_nearby"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.title}"

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def clock_running(self) -> bool:
        """Whether the resolve clock runs: see clock_running_q()."""
        return self.is_open and self.paused_since is None

    def is_due_soon(self, now=None) -> bool:
        """See due_soon_q()."""
        now = now or timezone.now()
        if not self.clock_running or self.due_at is None or self.due_at < now:
            return False
        return self.warned_at is not None or self.due_at <= now + DUE_SOON

    def is_overdue(self, now=None) -> bool:
        """Past its due date with the clock running: see overdue_q()."""
        now = now or timezone.now()
        return self.clock_running and self.due_at is not None and now > self.due_at

    @property
    def ack_clock_running(self) -> bool:
        """See ack_clock_running_q()."""
        return (
            self.status == self.Status.ROUTED
            and self.acknowledged_at is None
            and self.ack_due_at is not None
        )

    def is_ack_overdue(self, now=None) -> bool:
        """See ack_overdue_q()."""
        now = now or timezone.now()
        return self.ack_clock_running and now > self.ack_due_at

    @property
    def needs_acceptance(self) -> bool:
        """A complaint or a denunciation is accepted (thụ lý) or refused by a
        recorded act; reports are only acknowledged."""
        return self.kind in (self.Kind.COMPLAINT, self.Kind.DENUNCIATION)

    @property
    def is_suspended(self) -> bool:
        """Stopped by a written suspension (tạm đình chỉ), not by waiting for
        the citizen."""
        return self.paused_since is not None and self.status != self.Status.AWAITING_CITIZEN


# The only fields of a TicketEvent written after it (feedback/notifications.py).
DELIVERY_FIELDS = frozenset({"notified_at", "claimed_until", "reporter_sent_at", "office_sent_at"})


class TicketEvent(ChoiceLabels, models.Model):
    """The append-only timeline and audit trail. Every metric is derivable
    from these rows; nothing updates or deletes them (DELIVERY_FIELDS are
    delivery bookkeeping, not history)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        ROUTED = "routed", _("Chuyển xử lý")
        ACKNOWLEDGED = "acknowledged", _("Thụ lý")
        ASSIGNED = "assigned", _("Phân công")
        INFO_REQUESTED = "info_requested", _("Đề nghị bổ sung thông tin")
        CITIZEN_REPLIED = "citizen_replied", _("Công dân bổ sung")
        ANSWERED = "answered", _("Trả lời")
        NOTE = "note", _("Ghi chú nội bộ")
        RESOLVED = "resolved", _("Đã giải quyết")
        REOPENED = "reopened", _("Mở lại")
        CLOSED = "closed", _("Đóng")
        TRANSFERRED = "transferred", _("Chuyển cơ quan khác")
        NOT_OURS = "not_ours", _("Không thuộc thẩm quyền")
        REJECTED = "rejected", _("Từ chối")
        ACCEPTED = "accepted", _("Thông báo thụ lý")
        REFUSED = "refused", _("Thông báo không thụ lý")
        COMPLEXITY = "complexity", _("Xác định vụ việc phức tạp")
        SUSPENDED = "suspended", _("Tạm đình chỉ giải quyết")
        RESUMED = "resumed", _("Tiếp tục giải quyết")
        SECOND_INSTANCE = "second_instance", _("Khiếu nại lần hai")
        MERGED = "merged", _("Gộp vào phản ánh trùng")
        RATED = "rated", _("Đánh giá")
        SURVEYED = "surveyed", _("Trả lời khảo sát hài lòng")
        SUPPORTED = "supported", _("Cùng phản ánh")
        EXTENDED = "extended", _("Gia hạn")
        WARNED = "warned", _("Sắp đến hạn")
        BREACHED = "breached", _("Quá hạn")
        ESCALATED = "escalated", _("Báo cáo cấp trên")
        RECALCULATED = "recalculated", _("Tính lại thời hạn")
        DOCUMENT = "document", _("Ban hành văn bản")
        EDITED = "edited", _("Sửa hồ sơ")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket_events",
    )
    actor_label = models.CharField(
        max_length=150, blank=True, help_text=_("'system', 'citizen' or the staff member's name")
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    is_public = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Delivery bookkeeping (feedback/notifications.py), not history:
    # notified_at: everything this event owes was sent (the outbox is the
    # rows where it is null); claimed_until: a worker is sending it until
    # then, and a claim that runs out (the worker died) is taken again;
    # reporter_sent_at / office_sent_at: each half of the event's mail, so
    # a resend after a crash sends only what was not sent yet.
    notified_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    reporter_sent_at = models.DateTimeField(null=True, blank=True)
    office_sent_at = models.DateTimeField(null=True, blank=True)
    # When the row was written (`at` may be backdated: a paper form, a
    # replayed history). The API's change feed holds back the newest rows
    # for a few seconds so a slower transaction cannot commit behind it.
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("sự kiện")
        verbose_name_plural = _("dòng thời gian")
        indexes = [
            models.Index(fields=["ticket", "at"], name="event_timeline"),
            models.Index(fields=["kind", "at"], name="event_kind_period"),
            models.Index(fields=["office", "kind", "at"], name="event_office_kind"),
            # The resolutions on time of a period (the dashboard's figure and
            # the tickets behind it), without reading each event's data.
            models.Index(
                fields=["at"],
                include=["ticket", "office"],
                condition=Q(kind="resolved", data__on_time=True),
                name="event_resolved_on_time",
            ),
            models.Index(
                fields=["notified_at"],
                condition=Q(notified_at__isnull=True),
                name="event_unnotified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        fields = set(kwargs.get("update_fields") or ())
        if self.pk is not None and not (fields and fields <= DELIVERY_FIELDS):
            raise ValueError("ticket events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ticket events are append-only")


class Rating(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="ratings")
    round = models.PositiveSmallIntegerField(default=1)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    overall = models.PositiveSmallIntegerField(_("đánh giá chung"))
    timeliness = models.PositiveSmallIntegerField(_("thời gian"), null=True, blank=True)
    attitude = models.PositiveSmallIntegerField(_("thái độ cán bộ"), null=True, blank=True)
    quality = models.PositiveSmallIntegerField(_("chất lượng kết quả"), null=True, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "đánh giá")
        verbose_name_plural = pgettext_lazy("model plural", "đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "round"], name="rating_one_per_round"),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="rating_overall_1_5"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"rating_{f}_1_5",
                )
                for f in ("timeliness", "attitude", "quality")
            ],
        ]
        indexes = [models.Index(fields=["office", "created_at"], name="rating_office_period")]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.round}: {self.overall}/5"

    @property
    def satisfied(self) -> bool:
        return self.overall >= 4


# The five elements of SIPAS (Decision 1001/QĐ-BNV, 2023), in its order.
SURVEY_QUESTIONS = ("access", "procedure", "conduct", "result", "handling")


def _survey_answer(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class SurveyResponse(models.Model):
    """The citizen's answers to the satisfaction survey modelled on SIPAS:
    five questions on a 1-5 scale, once per ticket, after a result. Apart
    from the star rating: the rating judges one answer, the survey the
    service (docs/scores.md). A question may be left unanswered."""

    QUESTIONS = SURVEY_QUESTIONS

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="survey")
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    access = _survey_answer(_("tiếp cận thông tin"))
    procedure = _survey_answer(_("thủ tục, quy trình"))
    conduct = _survey_answer(_("thái độ, cách làm việc của cán bộ"))
    result = _survey_answer(_("kết quả giải quyết"))
    handling = _survey_answer(_("tiếp nhận, xử lý ý kiến"))
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiếu khảo sát hài lòng")
        verbose_name_plural = _("phiếu khảo sát hài lòng")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"survey_{f}_1_5",
                )
                for f in SURVEY_QUESTIONS
            ],
            models.CheckConstraint(
                condition=~Q(**{f"{f}__isnull": True for f in SURVEY_QUESTIONS}),
                name="survey_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["office", "created_at"], name="survey_office_period")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: " + " ".join(
            str(getattr(self, f) or "-") for f in self.QUESTIONS
        )


class StaffPreference(models.Model):
    """A staff member's own settings: the weekly digest (sent to heads and
    leaders unless they stop it) and the language it is written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_preference"
    )
    digest = models.BooleanField(_("nhận thư tổng hợp hằng tuần"), default=True)
    language = models.CharField(
        _("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # When the last digest went out: claimed with a conditional UPDATE so
    # that a task run twice sends once (feedback.digest).
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tùy chọn cán bộ")
        verbose_name_plural = _("tùy chọn cán bộ")

    def __str__(self) -> str:
        return str(self.user)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    is_public = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name or self.file.name


class Support(models.Model):
    """A citizen who adds their voice to an existing report instead of
    filing a duplicate. The fingerprint is a keyed hash, never raw data."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="supports")
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "fingerprint"], name="support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} +1"


class ResponseTemplate(models.Model):
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="templates"
    )
    title = models.CharField(max_length=150)
    body = models.TextField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """Someone who asked, by email, to hear of one report (following it) or
    of new and resolved public reports in a ward or a category. Counts only
    once confirmed from the link mailed to the address (double opt-in);
    every alert carries a one-click way out (feedback/alerts.py)."""

    email = models.EmailField(_("thư điện tử"))
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("phường, xã"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("lĩnh vực"),
    )
    ticket = models.ForeignKey(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("phản ánh"),
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận tin")
        verbose_name_plural = _("đăng ký nhận tin")
        constraints = [
            # Exactly one of: a ward, a category, a report.
            models.CheckConstraint(
                condition=Q(unit__isnull=False, category__isnull=True, ticket__isnull=True)
                | Q(unit__isnull=True, category__isnull=False, ticket__isnull=True)
                | Q(unit__isnull=True, category__isnull=True, ticket__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["email", "unit"], condition=Q(unit__isnull=False), name="subscription_unit"
            ),
            models.UniqueConstraint(
                fields=["email", "category"],
                condition=Q(category__isnull=False),
                name="subscription_category",
            ),
            models.UniqueConstraint(
                fields=["email", "ticket"],
                condition=Q(ticket__isnull=False),
                name="subscription_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.target}"

    @property
    def target(self):
        return self.unit or self.category or self.ticket


class CaseDocument(models.Model):
    """A document the office issues on a case (a receipt slip, a notice, a
    decision), numbered in the office's register for the year and dated.
    Its content is frozen when it is issued (`content`), so the PDF printed
    later says what was issued; feedback/documents.py lays it out, and
    feedback/workflow/documents.py issues it and puts it on the timeline."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Phiếu tiếp nhận")
        ACCEPTANCE = "acceptance", _("Thông báo thụ lý")
        REFUSAL = "refusal", _("Thông báo không thụ lý")
        EXTENSION = "extension", _("Quyết định gia hạn giải quyết tố cáo")
        COMPLAINT_DECISION = "complaint_decision", _("Quyết định giải quyết khiếu nại")
        DENUNCIATION_CONCLUSION = "denunciation_conclusion", _("Kết luận nội dung tố cáo")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("loại văn bản"), max_length=32, choices=Kind.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("cơ quan ban hành"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=80)
    issued_at = models.DateTimeField(_("ngày ban hành"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The act the document records (the receipt, the extension, the
    # decision): one document of a kind per act.
    source_event = models.ForeignKey(
        TicketEvent, on_delete=models.PROTECT, related_name="documents"
    )
    content = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="document_number_per_office_year"
            ),
            models.UniqueConstraint(fields=["source_event", "kind"], name="document_once_per_act"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        """ "Số: 12/QĐ-UBND-HOAN-KIEM" without the "Số: "."""
        return f"{self.number}/{self.symbol}"


class IdentityView(models.Model):
    """One showing of a protected identity (a denouncer's, Luật Tố cáo 2018
    art. 9, or a reporter who asked for confidentiality) to a member of
    staff: who saw it, when, through which page. Written by
    selectors.contact_shown; read by administrators in the admin."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="identity_views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identity_views"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(_("qua"), max_length=40)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lượt xem danh tính")
        verbose_name_plural = _("nhật ký xem danh tính người tố cáo")
        indexes = [models.Index(fields=["ticket", "at"], name="identity_view_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"


# Registered with the feedback app from their own module.
from feedback.models_snapshots import FigureSnapshot, LiveFigures  # noqa: E402, F401
