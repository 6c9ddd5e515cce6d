"""Forms for the public pages and the staff intake. They check the shape of
the input (types, lengths, choices); the rules of the domain (who must give
an identity, what a channel may set) stay in feedback/workflow/, whose
DomainError the views put back on the right field."""

from __future__ import annotations

import re
import secrets

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from feedback import captcha, outbound, selectors_public
from feedback.coordinates import parse_coordinate, parse_point
from feedback.errors import DomainError
from feedback.models import AdministrativeUnit, Category, Ticket

CODE_ALPHABET = set("23456789ABCDEFGHJKMNPQRSTWXYZ")
IDEMPOTENCY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PHONE_RE = re.compile(r"^\+?[0-9 .()-]{8,20}$")


def normalize_code(value: str) -> str | None:
    """'abcd-2345', ' ABCD 2345 ' and 'ABCD2345' are the same code; None if
    it cannot be one (wrong length or a character the alphabet never uses)."""
    code = re.sub(r"[\s\-–—_.]", "", (value or "")).upper()
    if len(code) != 8 or not set(code) <= CODE_ALPHABET:
        return None
    return code


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to N files; their content is checked by feedback.attachments."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        limit = settings.FEEDBACK_MAX_ATTACHMENTS
        if len(files) > limit:
            raise forms.ValidationError(
                _("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": limit}, code="too_many"
            )
        return files


def _coordinate(value: str, field: str) -> str:
    """The domain's parser (feedback.coordinates), with its message on the field."""
    try:
        number = parse_coordinate(value, field)
    except DomainError as exc:
        raise forms.ValidationError(exc.message, code="invalid") from None
    return "" if number is None else str(number)


class Listed(BaseChoiceIterator):
    """Choices already in Django's normal form ((value, label) pairs, or
    (group, pairs)), passed through as they are. A plain list given to a
    ChoiceField is normalized again, recursively, on every form: for the
    126 wards and the category tree that was about 430 calls and a tenth
    of a public form POST's CPU. Django leaves a BaseChoiceIterator alone."""

    def __init__(self, placeholder, rows) -> None:
        self.rows = [("", placeholder), *rows]

    def __iter__(self):
        return iter(self.rows)


class TicketFieldsForm(forms.Form):
    """What every channel records about a report."""

    kind = forms.ChoiceField(
        label=_("Loại đơn"),
        choices=Ticket.Kind.choices,
        initial=Ticket.Kind.FEEDBACK,
        widget=forms.RadioSelect,
    )
    category = forms.TypedChoiceField(label=_("Lĩnh vực"), coerce=int)
    unit = forms.TypedChoiceField(
        label=_("Phường, xã nơi xảy ra sự việc"),
        coerce=int,
        help_text=_("126 phường, xã của Hà Nội sau sắp xếp năm 2025."),
    )
    address = forms.CharField(
        label=_("Địa chỉ, địa điểm cụ thể"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: trước số nhà 12 ngõ 34 phố Hàng Bài."),
    )
    latitude = forms.CharField(label=_("Vĩ độ"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Kinh độ"), required=False, max_length=20)
    title = forms.CharField(
        label=_("Tiêu đề ngắn"),
        max_length=200,
        required=False,
        help_text=_("Không bắt buộc. Để trống, hệ thống lấy phần đầu nội dung."),
    )
    description = forms.CharField(
        label=_("Nội dung"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mô tả sự việc: ở đâu, từ khi nào, ảnh hưởng thế nào."),
    )
    attachments = MultipleFileField(
        label=_("Ảnh hoặc tài liệu"),
        required=False,
        help_text=_(
            "Tối đa 5 tệp JPEG, PNG, WebP hoặc PDF, mỗi tệp đến 10 MB. Thông tin vị trí "
            "trong ảnh (EXIF, GPS) được xóa trước khi lưu."
        ),
    )
    contact_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    contact_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Để nhận thư xác nhận và thông báo khi có kết quả."),
    )
    notify_by = forms.ChoiceField(
        label=_("Nhận thông báo qua"),
        choices=Ticket.NotifyBy.choices,
        initial=Ticket.NotifyBy.EMAIL,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Tin nhắn SMS gửi tới số điện thoại ở trên, không dấu."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh (chỉ với phản ánh, kiến nghị)"),
        required=False,
        help_text=_(
            "Không lưu họ tên, liên hệ. Bạn vẫn theo dõi được bằng mã tra cứu, nhưng cơ quan "
            "không thể hỏi thêm thông tin."
        ),
    )
    make_public = forms.BooleanField(
        label=_("Cho phép công khai nội dung phản ánh"),
        required=False,
        initial=True,
        help_text=_(
            "Nội dung, ảnh và kết quả xử lý hiện trên trang công khai để người khác cùng theo "
            "dõi. Họ tên và liên hệ của bạn không bao giờ được công khai. Khiếu nại và tố cáo "
            "không bao giờ công khai."
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Listed(
            _("— Chọn lĩnh vực —"), selectors_public.category_choices()
        )
        self.fields["unit"].choices = Listed(
            _("— Chọn phường, xã —"), selectors_public.unit_choices()
        )
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = new_form_token()
        channels = outbound.channels()
        if len(channels) > 1:
            self.fields["notify_by"].choices = channels
        else:
            del self.fields["notify_by"]  # email only: nothing to choose
        self.fields["latitude"].widget.attrs.update({"inputmode": "decimal"})
        self.fields["longitude"].widget.attrs.update({"inputmode": "decimal"})

    def clean_category(self) -> Category:
        category = Category.objects.filter(pk=self.cleaned_data["category"], is_active=True).first()
        if category is None:
            raise forms.ValidationError(_("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng."))
        return category

    def clean_unit(self) -> AdministrativeUnit:
        unit = selectors_public.reporting_units().filter(pk=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(_("Vui lòng chọn phường, xã đang hoạt động."))
        return unit

    def clean_latitude(self) -> str:
        return _coordinate(self.cleaned_data.get("latitude", ""), "latitude")

    def clean_longitude(self) -> str:
        return _coordinate(self.cleaned_data.get("longitude", ""), "longitude")

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "").strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return phone

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data.get("idempotency_key", "")
        return key if IDEMPOTENCY_RE.match(key or "") else ""

    def clean(self):
        data = super().clean()
        if "latitude" not in self.errors and "longitude" not in self.errors:
            try:
                parse_point(data.get("latitude"), data.get("longitude"))
            except DomainError as exc:
                self.add_error(exc.field, exc.message)
        return data

    def submit_kwargs(self) -> dict:
        """Arguments for workflow.ticket_submit (the caller adds the channel)."""
        d = self.cleaned_data
        kind = d["kind"]
        return dict(
            kind=kind,
            category=d["category"],
            unit=d["unit"],
            title=d.get("title", ""),
            description=d["description"],
            latitude=d.get("latitude") or None,
            longitude=d.get("longitude") or None,
            address=d.get("address", ""),
            contact_name=d.get("contact_name", ""),
            contact_phone=d.get("contact_phone", ""),
            contact_email=d.get("contact_email", ""),
            notify_by=d.get("notify_by") or Ticket.NotifyBy.EMAIL,
            language=d.get("language", ""),
            is_anonymous=bool(d.get("is_anonymous")),
            # The workflow keeps complaints and denunciations private.
            is_public=bool(d.get("make_public")),
        )


class ChallengeWidget(CaptchaTextInput):
    """django-simple-captcha's two inputs in our markup (public/_captcha.html):
    the answer box labelled like any field, the image described in the
    page's language, a new-image button and the digits read aloud."""

    # One answer box: a <label> for it, not a <fieldset> around two inputs.
    use_fieldset = False

    def render(self, name, value, attrs=None, renderer=None):
        self.fetch_captcha_store(name, value, attrs, self.generator)
        attrs = self.build_attrs(self.attrs, attrs)
        id_ = attrs.pop("id", None) or f"id_{name}"
        key_input = self.widgets[0].render(f"{name}_0", self._key, {"id": f"{id_}_0"}, renderer)
        answer_input = self.widgets[1].render(
            f"{name}_1",
            "",
            {**attrs, "id": f"{id_}_1", "inputmode": "numeric", "maxlength": "12"},
            renderer,
        )
        return render_to_string(
            "public/_captcha.html",
            {
                "key_input": key_input,
                "answer_input": answer_input,
                "image_url": self.image_url(),
                "audio_url": (
                    reverse("public:captcha_audio", kwargs={"key": self._key})
                    if captcha.speech_available()
                    else ""
                ),
                "refresh_url": self.refresh_url(),
                "id": id_,
            },
        )


class ChallengeField(CaptchaField):
    """django-simple-captcha's field, its answer checked by
    captcha.use_answer: without deleting every expired challenge first, which
    the `captchas` sweep does. Its test mode (the answer "PASSED", used by
    the test suite) is the library's own."""

    def clean(self, value):
        if captcha_settings.CAPTCHA_TEST_MODE:
            return super().clean(value)
        forms.MultiValueField.clean(self, value)
        key, answer = value[0], value[1] or ""
        value[1] = ""
        if not captcha.use_answer(key, answer):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class PublicReportForm(TicketFieldsForm):
    """The citizen's form. Its kind is chosen before it is shown (a report,
    or the short path of a complaint or a denunciation), so it offers only
    that kind's categories, and marks what must be filled in."""

    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý cho cơ quan nhà nước dùng họ tên và thông tin liên hệ trên để xử lý "
            "và trả lời phản ánh này."
        ),
        required=False,
        help_text=_(
            "Theo Luật Bảo vệ dữ liệu cá nhân, cần bạn đồng ý nếu để lại thông tin liên hệ. "
            "Dữ liệu chỉ dùng cho việc xử lý phản ánh này."
        ),
    )
    captcha = ChallengeField(
        label=_("Mã xác nhận"),
        widget=ChallengeWidget(),
        error_messages={
            "invalid": _("Mã xác nhận chưa đúng. Vui lòng nhập các chữ số trong hình mới.")
        },
        help_text=_("Nhập các chữ số trong hình, hoặc bấm “Nghe mã” để nghe đọc."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        self.path_kind = kind if kind in Ticket.Kind.values else Ticket.Kind.FEEDBACK
        self.fields["kind"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial["kind"] = self.path_kind
        own = selectors_public.category_choices(self.path_kind)
        self.fields["category"].choices = Listed(_("— Chọn lĩnh vực —"), own)
        # One category for the kind (the usual "Khiếu nại"): nothing to choose.
        self.only_category = own[0][0] if len(own) == 1 and isinstance(own[0][0], int) else None
        self.fields["attachments"].widget.attrs["class"] = "file-input"
        # A phone screen holds little: one short line of help where it is
        # needed, examples as placeholders, no help where the label says it.
        short = {
            "description": "",
            "unit": "",
            "address": "",
            "contact_email": "",
            "attachments": _(
                "Tối đa 5 ảnh hoặc PDF, mỗi tệp đến 10 MB; vị trí GPS trong ảnh được xóa."
            ),
            "is_anonymous": "",
            "make_public": _("Họ tên, liên hệ của bạn không bao giờ công khai."),
            # The label says what the data is for (Luật Bảo vệ dữ liệu cá nhân).
            "consent": "",
            "captcha": _("Nhập các chữ số trong hình."),
        }
        for name, text in short.items():
            self.fields[name].help_text = text
        self.fields["description"].widget.attrs.update(
            rows=3, placeholder=_("Sự việc gì, từ khi nào, ảnh hưởng thế nào.")
        )
        self.fields["unit"].label = _("Phường, xã")
        self.fields["address"].widget.attrs["placeholder"] = _("Ví dụ: trước số 12 ngõ 34 Hàng Bài")
        if self.path_kind != Ticket.Kind.FEEDBACK:
            # The workflow requires a name for these kinds (and says so on
            # the field); the form only marks it.
            self.fields["contact_name"].marked_required = True


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        help_text=_("8 ký tự, ví dụ ABCD-2345 (có hoặc không có dấu gạch)."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Mã tra cứu gồm 8 ký tự chữ và số, ví dụ ABCD-2345. Vui lòng kiểm tra lại.")
            )
        return code


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Thông tin bổ sung"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )


SCORE_CHOICES = [(str(i), str(i)) for i in range(5, 0, -1)]


# The overall score as five stars, lowest first (the order arrow keys move
# in); each star's name says what it means.
STAR_CHOICES = [
    ("1", _("1 sao: rất không hài lòng")),
    ("2", _("2 sao: không hài lòng")),
    ("3", _("3 sao: tạm được")),
    ("4", _("4 sao: hài lòng")),
    ("5", _("5 sao: rất hài lòng")),
]


class RateForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Mức độ hài lòng chung"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "star-input"}),
        help_text=_("1 sao: rất không hài lòng … 5 sao: rất hài lòng."),
    )
    timeliness = forms.TypedChoiceField(
        label=_("Thời gian giải quyết"),
        choices=[("", _("Không đánh giá")), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    attitude = forms.TypedChoiceField(
        label=_("Thái độ của cán bộ"),
        choices=[("", _("Không đánh giá")), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    quality = forms.TypedChoiceField(
        label=_("Chất lượng kết quả"),
        choices=[("", _("Không đánh giá")), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Vì sao bạn chưa hài lòng?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- staff intake --------------------------------------------------------------------

SOCIAL_PLATFORMS = [
    ("facebook", "Facebook"),
    ("zalo", "Zalo"),
    ("tiktok", "TikTok"),
    ("youtube", "YouTube"),
    ("news", _("Báo điện tử")),
    ("other", _("Khác")),
]


class StaffIntakeForm(TicketFieldsForm):
    """A report an officer records for a citizen. `channel` picks the extra
    fields: the time of the call, the post, the dossier."""

    CHANNELS = {
        "hotline": Ticket.Channel.HOTLINE,
        "social": Ticket.Channel.SOCIAL,
        "walk_in": Ticket.Channel.WALK_IN,
        "paper": Ticket.Channel.PAPER,
    }

    contact_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thông báo"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=_("Thư và tin nhắn gửi người phản ánh dùng ngôn ngữ này."),
    )
    priority = forms.ChoiceField(
        label=_("Mức độ"), choices=Ticket.Priority.choices, initial=Ticket.Priority.NORMAL
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["make_public"].initial = channel != "paper"
        received = self.fields["received_at"]
        if channel == "hotline":
            received.label = _("Thời điểm cuộc gọi")
            received.help_text = _("Để trống nếu là cuộc gọi vừa xong.")
            self.fields["contact_name"].label = _("Họ tên người gọi")
            self.fields["contact_phone"].label = _("Số điện thoại người gọi")
        elif channel == "social":
            self.fields["platform"] = forms.ChoiceField(
                label=_("Nền tảng"), choices=SOCIAL_PLATFORMS
            )
            self.fields["post_url"] = forms.URLField(
                label=_("Liên kết bài đăng"), max_length=500, assume_scheme="https"
            )
            self.fields["posted_at"] = forms.DateTimeField(
                label=_("Thời điểm đăng bài"),
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
            )
            received.help_text = _("Khi cơ quan phát hiện bài đăng. Để trống: bây giờ.")
            self.fields["contact_name"].label = _("Tên tài khoản / người đăng")
        elif channel == "walk_in":
            received.help_text = _("Để trống nếu người dân vừa đến.")
        elif channel == "paper":
            self.fields["dossier_number"] = forms.CharField(
                label=_("Số hồ sơ / số đơn"), max_length=100
            )
            received.required = True
            received.label = _("Ngày giờ tiếp nhận thực tế")
            received.help_text = _(
                "Thời điểm đơn giấy thực sự đến cơ quan. Thời hạn giải quyết tính từ thời điểm này."
            )
            self.fields["backfill_reason"] = forms.CharField(
                label=_("Lý do nhập bù"),
                max_length=500,
                help_text=_("Ví dụ: mất điện, mất kết nối mạng, tiếp nhận ngoài trụ sở."),
            )
        else:
            raise ValueError(f"unknown intake channel {channel!r}")
        self.order_fields(
            [
                "dossier_number",
                "received_at",
                "backfill_reason",
                "platform",
                "post_url",
                "posted_at",
                "kind",
                "priority",
                "category",
                "unit",
                "address",
                "latitude",
                "longitude",
            ]
        )

    def submit_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = super().submit_kwargs()
        kwargs.update(
            channel=self.CHANNELS[self.channel],
            contact_address=d.get("contact_address", ""),
            priority=d["priority"],
            received_at=d.get("received_at") or None,
        )
        if self.channel == "paper":
            kwargs["source_ref"] = d["dossier_number"]
            kwargs["source_data"] = {"backfill_reason": d["backfill_reason"]}
        elif self.channel == "social":
            kwargs["source_ref"] = d["post_url"]
            kwargs["source_data"] = {
                "platform": d["platform"],
                "posted_at": d["posted_at"].isoformat(),
            }
        elif self.channel == "hotline" and d.get("received_at"):
            kwargs["source_data"] = {"call_at": d["received_at"].isoformat()}
        return kwargs


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_("Mã hóa UTF-8, dòng đầu là tên cột theo tệp mẫu; tối đa 1.000 dòng."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AlertForm(forms.Form):
    """Subscribe by email to new and resolved public reports in a ward or a
    category (one of the two), or follow one report (`ticket`, a code)."""

    email = forms.EmailField(
        label=_("Thư điện tử"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    unit = forms.TypedChoiceField(label=_("Phường, xã"), coerce=int, required=False)
    category = forms.TypedChoiceField(label=_("Lĩnh vực"), coerce=int, required=False)
    ticket = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = Listed("—", selectors_public.unit_choices())
        self.fields["category"].choices = Listed("—", selectors_public.category_choices())

    def clean(self):
        data = super().clean()
        code = normalize_code(data.get("ticket") or "")
        data["ticket"] = selectors_public.ticket_by_code(code) if code else None
        if code and (data["ticket"] is None or not data["ticket"].is_public):
            raise forms.ValidationError(_("Không tìm thấy phản ánh công khai này."))
        data["unit"] = (
            selectors_public.reporting_units().filter(pk=data["unit"]).first()
            if data.get("unit")
            else None
        )
        data["category"] = (
            Category.objects.filter(pk=data["category"], is_active=True).first()
            if data.get("category")
            else None
        )
        chosen = [k for k in ("unit", "category", "ticket") if data.get(k) is not None]
        if not code and len(chosen) != 1:
            raise forms.ValidationError(
                _("Chọn một phường, xã hoặc một lĩnh vực (không chọn cả hai).")
            )
        return data


SURVEY_SCALE = [
    ("1", _("Rất không hài lòng")),
    ("2", _("Không hài lòng")),
    ("3", pgettext_lazy("survey scale", "Bình thường")),
    ("4", _("Hài lòng")),
    ("5", _("Rất hài lòng")),
]


def _survey_question(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SURVEY_SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class SurveyForm(forms.Form):
    """The five questions of the satisfaction survey (SurveyResponse), each
    optional; the workflow asks for at least one answer."""

    access = _survey_question(
        _("Tiếp cận thông tin: tìm hiểu cách gửi và theo dõi phản ánh có dễ dàng không?")
    )
    procedure = _survey_question(
        _("Thủ tục, quy trình: các bước xử lý có đơn giản, rõ ràng không?")
    )
    conduct = _survey_question(_("Cán bộ: thái độ và cách làm việc của cán bộ xử lý có tốt không?"))
    result = _survey_question(_("Kết quả: kết quả giải quyết có đúng và đầy đủ không?"))
    handling = _survey_question(
        _("Tiếp nhận, xử lý ý kiến: ý kiến của bạn có được tiếp nhận và phản hồi thỏa đáng không?")
    )
