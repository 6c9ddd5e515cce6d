"""Monthly snapshots of the figures (feedback.snapshots writes and reads
them). Kept beside feedback/models.py, which imports this module so that
Django registers the model with the feedback app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthFigures(models.Model):
    """What a snapshot and the current month's summary both hold: one
    office's or one unit subtree's figures for one calendar month (local
    time), as feedback.snapshots measures them."""

    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng (giờ Hà Nội)."))
    # feedback.snapshots.RULES when the row was written: which definitions
    # of the figures produced it.
    rules = models.CharField(_("quy tắc tính"), max_length=20)
    # figures.Figures.as_dict(): counts, durations and the rates.
    figures = models.JSONField(_("số liệu"))
    # Working minutes to acknowledgement and to answer of the tickets
    # received in the month, as [[minutes, count], ...]: a period of several
    # months merges them for exact medians and 90th percentiles.
    histograms = models.JSONField(_("phân bố thời gian"), default=dict)
    # Per category ({"counts": ..., "answer": histogram}) and per place where
    # tickets are located (figures.place_sums' six sums): the dashboard's
    # category table and map, summable.
    details = models.JSONField(_("chi tiết"), default=dict)

    class Meta:
        abstract = True

    @property
    def subject(self) -> str:
        return f"office {self.office_id}" if self.office_id else f"unit {self.unit_id}"


class FigureSnapshot(MonthFigures):
    """One office's or one unit subtree's figures for one calendar month
    (local time), frozen after the month ended: feedback.figures computed
    them then, under the rules named in `rules`. A correction never edits a
    row: it adds the next version with a reason, and reads take the highest
    version."""

    office = models.ForeignKey(
        "feedback.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "feedback.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    reason = models.TextField(_("lý do đính chính"), blank=True)
    # When the version was written: the freeze's own "now" (the task's
    # time), which correct_late_entries compares with each ticket's entry.
    created_at = models.DateTimeField(_("lúc lập"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("số liệu chốt tháng")
        verbose_name_plural = _("số liệu chốt tháng")
        ordering = ["-month", "office", "unit", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=True, unit__isnull=False)
                | Q(office__isnull=False, unit__isnull=True),
                name="snapshot_one_subject",
            ),
            models.UniqueConstraint(
                fields=["month", "office", "version"],
                condition=Q(office__isnull=False),
                name="snapshot_office_version",
            ),
            models.UniqueConstraint(
                fields=["month", "unit", "version"],
                condition=Q(unit__isnull=False),
                name="snapshot_unit_version",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="snapshot_correction_reason"
            ),
        ]
        indexes = [models.Index(fields=["month", "unit"], name="snapshot_month_unit")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.subject} v{self.version}"


class LiveFigures(MonthFigures):
    """The current month's figures of one office or unit subtree, as
    feedback.figures computes them, recomputed every
    FEEDBACK_LIVE_FIGURES_SECONDS by a task (workers.tasks.refresh_live_figures)
    and replaced whole: the summary the dashboard and the rankings read for
    the month in progress. Read only while fresh (computed_at within
    FEEDBACK_LIVE_FIGURES_MAX_AGE); otherwise the figures are computed from
    the tickets. Same columns as FigureSnapshot."""

    office = models.ForeignKey(
        "feedback.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "feedback.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("lúc tính"))

    class Meta:
        verbose_name = _("số liệu tháng hiện tại")
        verbose_name_plural = _("số liệu tháng hiện tại")
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=True, unit__isnull=False)
                | Q(office__isnull=False, unit__isnull=True),
                name="live_figures_one_subject",
            ),
            models.UniqueConstraint(
                fields=["office"], condition=Q(office__isnull=False), name="live_figures_office"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(unit__isnull=False), name="live_figures_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.subject} at {self.computed_at:%H:%M}"
