"""Admin for partner systems: keys are made (and shown once) and revoked
here; webhook deliveries are listed with their status, attempts and last
error, and can be replayed."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import clients, webhooks
from api.models import ApiClient, Webhook, WebhookDelivery
from feedback.models import TicketEvent


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("phạm vi"),
        choices=ApiClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "scopes",
            "channel",
            "office",
            "user",
            "rate_limit",
            "daily_quota",
            "contact_email",
            "notes",
        ]


class WebhookForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("loại sự kiện"),
        choices=TicketEvent.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Empty: every kind."),
    )

    class Meta:
        model = Webhook
        fields = ["url", "secret", "kinds", "unit", "category", "is_active"]


class WebhookInline(admin.StackedInline):
    model = Webhook
    form = WebhookForm
    extra = 0
    autocomplete_fields = ["unit", "category"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = [
        "name",
        "prefix",
        "channel",
        "office",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["channel", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "contact_email"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["office", "user"]
    inlines = [WebhookInline]
    actions = ["revoke", "rotate"]

    def save_model(self, request, obj, form, change):
        key = None if change else clients.issue_key(obj)
        super().save_model(request, obj, form, change)
        if key:
            self.message_user(
                request,
                _("Khóa API của %(name)s (chỉ hiện lần này, hãy lưu lại ngay): %(key)s")
                % {"name": obj.name, "key": key},
                messages.WARNING,
            )

    @admin.action(description=_("Thu hồi khóa đã chọn"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request, ngettext("%d khóa đã bị thu hồi.", "%d khóa đã bị thu hồi.", count) % count
        )

    @admin.action(description=_("Cấp khóa mới (khóa cũ hết hiệu lực)"))
    def rotate(self, request, queryset):
        for client in queryset:
            key = clients.issue_key(client)
            client.revoked_at = None
            client.save(update_fields=["prefix", "key_hash", "revoked_at"])
            self.message_user(
                request,
                _("Khóa API mới của %(name)s (chỉ hiện lần này): %(key)s")
                % {"name": client.name, "key": key},
                messages.WARNING,
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "uid",
        "webhook",
        "event_kind",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "webhook__client"]
    list_select_related = ["webhook__client", "event"]
    search_fields = ["uid", "webhook__url", "webhook__client__name"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sự kiện"))
    def event_kind(self, obj):
        return obj.event.get_kind_display()

    @admin.action(description=_("Gửi lại các lần gửi đã chọn"))
    def replay(self, request, queryset):
        count = webhooks.replay(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã xếp %d lần gửi vào hàng đợi.", "Đã xếp %d lần gửi vào hàng đợi.", count)
            % count,
        )
