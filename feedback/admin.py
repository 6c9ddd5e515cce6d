"""Django admin: where the city's administrator keeps units, offices,
categories, routing rules and deadline policies.

Tickets and what hangs off them are records of what happened. The fields
the workflow owns (status, office, assignee, clocks and due dates) are
read-only here, and the timeline, ratings and supports cannot be edited at
all: a change made behind the workflow's back would write no event, and
every metric is derived from events. What may be corrected on a ticket (a
typo in its text, its address) is saved by workflow.ticket_correct, which
writes an EDITED event and refreshes the search text.
"""

from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback import deadlines, permissions, selectors, workflow
from feedback.errors import DomainError
from feedback.models import (
    AdministrativeUnit,
    Attachment,
    CaseDocument,
    Category,
    DeadlinePolicy,
    IdentityView,
    Membership,
    Office,
    OfficialDay,
    Rating,
    ResponseTemplate,
    RoutingRule,
    Subscription,
    Support,
    Ticket,
    TicketEvent,
)
from feedback.text import fold

admin.site.site_header = _("Quản trị hệ thống phản ánh, kiến nghị")
admin.site.site_title = _("Quản trị")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the product itself: viewable, never added,
    changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active", "is_remote", "merged_into"]
    list_filter = ["kind", "is_active", "is_remote", ("parent", admin.RelatedOnlyFieldListFilter)]
    # Remote communes are ticked in the list, or loaded from the official
    # list with `manage.py load_remote_units <file>`.
    list_editable = ["is_remote"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["parent", "merged_into"]
    autocomplete_fields = ["parent", "merged_into"]
    readonly_fields = ["path", "depth"]
    list_per_page = 200

    def get_search_results(self, request, queryset, search_term):
        # "ha dong" and "Hà Đông" should find the same ward: search_name is
        # stored folded, so fold the query too.
        return super().get_search_results(request, queryset, fold(search_term) or search_term)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "ack_amount",
        "ack_unit",
        "resolve_amount",
        "resolve_unit",
        "max_extensions",
        "pauses_for_citizen",
    ]
    list_filter = ["resolve_unit", "pauses_for_citizen"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    """The official calendar. A change moves the due dates of the open
    tickets it falls under, through the workflow, in the same transaction."""

    list_display = ["date", "weekday", "kind", "name", "legal_source"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "legal_source"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return date_format(obj.date, "l")  # in the reader's language

    @contextmanager
    def _following(self, request, days):
        with transaction.atomic():
            old = deadlines.build_calendar()
            yield
            new = deadlines.build_calendar()
            moved = workflow.tickets_follow_calendar(
                old=old, new=new, days=days, actor=request.user
            )
        if moved:
            messages.info(
                request,
                ngettext(
                    "Đã tính lại thời hạn của %(n)d phản ánh đang mở.",
                    "Đã tính lại thời hạn của %(n)d phản ánh đang mở.",
                    len(moved),
                )
                % {"n": len(moved)},
            )

    def save_model(self, request, obj, form, change):
        days = {obj.date}
        if change and form.initial.get("date"):
            days.add(form.initial["date"])
        with self._following(request, days):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with self._following(request, {obj.date}):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        days = set(queryset.values_list("date", flat=True))
        with self._following(request, days):
            super().delete_queryset(request, queryset)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "default_kind",
        "deadline_policy",
        "location_required",
        "is_active",
        "sort_order",
    ]
    list_filter = ["default_kind", "is_active", "location_required", "deadline_policy"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent", "deadline_policy"]
    autocomplete_fields = ["parent", "deadline_policy", "urgent_deadline_policy"]
    readonly_fields = ["path", "depth"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "peer_group", "unit", "parent", "is_active"]
    list_filter = ["kind", "peer_group", "is_active"]
    search_fields = ["code", "name", "short_name", "unit__name"]
    list_select_related = ["unit", "parent"]
    autocomplete_fields = ["unit", "parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role", "created_at"]
    list_filter = ["role", "office__kind", "office__peer_group"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "office__code",
        "office__name",
    ]
    list_select_related = ["user", "office"]
    autocomplete_fields = ["user", "office"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["id", "category", "unit", "office", "priority", "is_active", "note"]
    list_filter = ["is_active", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "category__code",
        "category__name",
        "unit__code",
        "unit__name",
        "office__code",
        "office__name",
        "note",
    ]
    list_select_related = ["category", "unit", "office"]
    autocomplete_fields = ["category", "unit", "office"]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = [
        "at",
        "kind",
        "actor_label",
        "office",
        "from_status",
        "to_status",
        "is_public",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")


# Set by the workflow (feedback/workflow/) together with the event that
# explains them; editing them here would desynchronise ticket and timeline.
WORKFLOW_FIELDS = [
    "code",
    "status",
    "kind",
    "category",
    "unit",
    "priority",
    "is_complex",
    "is_especially_complex",
    "channel",
    "office",
    "assignee",
    "routing_rule",
    "routing_reason",
    "duplicate_of",
    "supporter_count",
    "round",
    "extensions",
    "refusals",
    "received_at",
    "created_at",
    "created_by",
    "routed_at",
    "acknowledged_at",
    "accepted_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "ack_due_at",
    "ack_started_at",
    "screening_extended",
    "due_at",
    "clock_started_at",
    "forward_due_at",
    "paused_since",
    "warned_at",
    "breached_at",
    "escalated_at",
    "ack_warned_at",
    "ack_breached_at",
    "consent_at",
    # Decided at intake by the rules for the ticket's kind.
    "is_anonymous",
    "is_confidential",
]
CONTACT_FIELDS = ["contact_name", "contact_phone", "contact_email", "contact_address"]


class TicketChangeList(ChangeList):
    """The ticket list. A filter in the URL on an identity field
    (`?code=X&contact_phone__startswith=09`) only ever finds tickets whose
    identity the user may see: otherwise "1 result" or "0 results" would
    spell out a denouncer's phone number digit by digit."""

    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        if any(permissions.identity_lookup(name) for name in request.GET):
            qs = qs.filter(permissions.identity_visible_q(request.user))
        return qs


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "display_code",
        "title",
        "status",
        "kind",
        "channel",
        "priority",
        "category",
        "unit",
        "office",
        "received_at",
        "due_at",
    ]
    list_filter = [
        "status",
        "kind",
        "channel",
        "priority",
        ("office", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "is_public",
    ]
    search_fields = ["code", "title"]
    list_select_related = ["category", "unit", "office"]
    date_hierarchy = "received_at"
    fieldsets = [
        (
            None,
            {"fields": ["code", "title", "description", "kind", "category", "unit", "extra"]},
        ),
        (_("Vị trí"), {"fields": ["address", "latitude", "longitude"]}),
        (
            _("Nguồn"),
            {"fields": ["channel", "source_ref", "received_at", "created_at", "created_by"]},
        ),
        (
            _("Người phản ánh (không công khai)"),
            {
                "fields": [
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "contact_address",
                    "consent_at",
                    "is_anonymous",
                    "is_confidential",
                    "is_public",
                ]
            },
        ),
        (
            _("Xử lý"),
            {
                "fields": [
                    "status",
                    "priority",
                    "is_complex",
                    "is_especially_complex",
                    "office",
                    "assignee",
                    "routing_rule",
                    "routing_reason",
                    "duplicate_of",
                    "supporter_count",
                    "round",
                    "extensions",
                    "refusals",
                ]
            },
        ),
        (
            _("Thời hạn"),
            {
                "fields": [
                    "ack_due_at",
                    "ack_started_at",
                    "screening_extended",
                    "due_at",
                    "clock_started_at",
                    "forward_due_at",
                    "routed_at",
                    "acknowledged_at",
                    "accepted_at",
                    "first_response_at",
                    "resolved_at",
                    "closed_at",
                    "paused_since",
                    "warned_at",
                    "breached_at",
                    "escalated_at",
                    "ack_warned_at",
                    "ack_breached_at",
                ]
            },
        ),
    ]
    inlines = [TicketEventInline]

    def get_changelist(self, request, **kwargs):
        return TicketChangeList

    def get_readonly_fields(self, request, obj=None):
        fields = list(WORKFLOW_FIELDS)
        if obj is not None and not workflow.may_be_public(obj.kind):
            fields.append("is_public")  # the workflow keeps these private
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A showing of a protected identity here is logged like on the
        # staff pages (selectors.contact_shown).
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                selectors.contact_shown(request.user, obj, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        # The same rule as the staff pages: a confidential identity (every
        # denunciation) is for the assigned head of the handling office
        # only, not for administrators.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or permissions.can_see_contact(request.user, obj):
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in CONTACT_FIELDS]})
            for name, opts in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        # A correction goes through the workflow, which asks the same.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_act(request.user, obj))

    def save_model(self, request, obj, form, change):
        """A correction is the workflow's (workflow.ticket_correct): only the
        fields that changed are written, under the row's lock, with an
        EDITED event on the timeline and the search text refreshed."""
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in workflow.CORRECTABLE_FIELDS
        }
        try:
            workflow.ticket_correct(obj.pk, actor=request.user, changes=changes)
        except DomainError as exc:
            request._ticket_not_corrected = True
            messages.error(request, exc.message)
        obj.refresh_from_db()

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # No "changed successfully" after the workflow refused the change.
        if getattr(request, "_ticket_not_corrected", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    # Tickets enter through intake (web, API, staff intake forms), which
    # writes the "received" event and queues routing; one added here would
    # have no timeline. They are never deleted: spam is rejected instead.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Codes are read out as "ABCD-EFGH" but stored without the dash.
        code = search_term.strip().replace("-", "").upper()
        if len(code) == 8:
            found |= queryset.filter(code=code)
        # A hotline follow-up finds a caller's tickets by phone number, but
        # only those whose identity the user may see: a match on a
        # protected one would name a denouncer.
        phone = search_term.strip()
        if phone:
            found |= queryset.filter(
                permissions.identity_visible_q(request.user), contact_phone=phone
            )
        return found, may_have_duplicates


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "ticket",
        "kind",
        "actor_label",
        "office",
        "from_status",
        "to_status",
        "is_public",
    ]
    list_filter = ["kind", "is_public", ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ticket__code", "actor_label", "message"]
    list_select_related = ["ticket", "office"]
    date_hierarchy = "at"


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket",
        "round",
        "office",
        "overall",
        "timeliness",
        "attitude",
        "quality",
        "created_at",
    ]
    list_filter = ["overall", ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ticket__code", "comment"]
    list_select_related = ["ticket", "office"]
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ticket", "content_type", "size", "is_public", "created_at"]
    list_filter = ["is_public", "content_type"]
    search_fields = ["ticket__code", "original_name", "sha256"]
    list_select_related = ["ticket"]
    # Only hiding is done by hand: uploads are checked, resized and stripped
    # of location data on the way in, which an admin upload would skip.
    fields = [
        "ticket",
        "event",
        "file",
        "original_name",
        "content_type",
        "extension",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
        "is_public",
    ]
    readonly_fields = fields[:-1]

    def has_add_permission(self, request):
        return False


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "created_at"]
    search_fields = ["ticket__code"]
    list_select_related = ["ticket"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active"]
    list_filter = ["is_active", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "body"]
    list_select_related = ["category"]
    autocomplete_fields = ["category"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Alert sign-ups: an administrator can see who follows what, remove a
    subscription on request, or confirm one by hand (never add one: the
    address must confirm it; see feedback/alerts.py)."""

    list_display = ["email", "unit", "category", "ticket", "language", "created_at", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["email", "ticket__code", "unit__name", "category__name"]
    list_select_related = ["unit", "category", "ticket"]
    readonly_fields = ["email", "unit", "category", "ticket", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyAdmin):
    """Issued documents are records: numbered once, never edited."""

    list_display = ["__str__", "kind", "office", "ticket", "issued_at", "issued_by"]
    list_filter = ["kind", "year", ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ticket__code", "symbol"]
    list_select_related = ["office", "ticket", "issued_by"]


@admin.register(IdentityView)
class IdentityViewAdmin(ReadOnlyAdmin):
    """Who was shown a denouncer's (or a confidential reporter's) identity,
    when, and where: the audit of Luật Tố cáo 2018 art. 9."""

    list_display = ["at", "ticket", "user", "office", "via"]
    list_filter = ["via", ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ticket__code", "user__username"]
    list_select_related = ["ticket", "user", "office"]
    date_hierarchy = "at"
