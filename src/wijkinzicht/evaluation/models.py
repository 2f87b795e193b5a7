"""An evaluation (what to compare) and its runs (each computation, kept as history)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.models import TimeStampedModel

from .constants import DonorPool, Method, RunStatus


class Evaluation(TimeStampedModel):
    """The question: did the approach in these areas from this year change this indicator?"""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="evaluations",
        help_text=_("The organisation that owns the evaluation."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who set up the evaluation."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("A short name, e.g. the programme."))
    method = models.CharField(
        _("method"),
        max_length=10,
        choices=Method.choices,
        default=Method.SYNTH,
        help_text=_("How the comparison is made."),
    )
    treated = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("treated areas"),
        related_name="evaluations_treated",
        help_text=_("The areas where the approach ran (all of the same level)."),
    )
    treatment_year = models.PositiveSmallIntegerField(
        _("start year"),
        help_text=_("First year in which the approach could have had an effect (the earliest, when the "
                    "areas started in different years)."),
    )
    treated_starts = models.JSONField(
        _("start year per area"),
        default=dict,
        blank=True,
        help_text=_("CBS code -> start year, for areas that started in another year than the start year "
                    "(difference-in-differences only)."),
    )
    programme = models.ForeignKey(
        "outcomes.Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The programme whose areas and start year are evaluated, if any."),
    )
    outcome = models.ForeignKey(
        "areas.Indicator",
        verbose_name=_("outcome indicator"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The indicator the approach should change."),
    )
    predictors = models.JSONField(
        _("predictors"),
        default=list,
        blank=True,
        help_text=_(
            "Synthetic control only: list of {indicator, from, to}; empty means the outcome "
            "itself before the start."
        ),
    )
    donor_pool = models.CharField(
        _("comparison areas"),
        max_length=20,
        choices=DonorPool.choices,
        default=DonorPool.COMPARABLE,
        help_text=_("Where the comparison areas come from."),
    )
    donor_count = models.PositiveSmallIntegerField(
        _("number of comparable areas"),
        default=50,
        help_text=_("How many comparable areas to take (for the comparable pool)."),
    )
    donor_codes = models.JSONField(
        _("listed comparison areas"),
        default=list,
        blank=True,
        help_text=_("CBS codes of the comparison areas (for a listed pool)."),
    )
    exclude_codes = models.JSONField(
        _("left out"),
        default=list,
        blank=True,
        help_text=_("CBS codes never to use for comparison."),
    )
    exclude_neighbours = models.BooleanField(
        _("leave out neighbouring areas"),
        default=True,
        help_text=_("Leave out areas that border a treated area, where the approach may have spilled over."),
    )
    placebos = models.BooleanField(
        _("placebo tests"),
        default=True,
        help_text=_("Run placebo tests (takes longer)."),
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def start_of(self, code: str) -> int:
        """The start year of one treated area."""
        return int(self.treated_starts.get(code, self.treatment_year))

    @property
    def staggered(self) -> bool:
        return len({int(y) for y in self.treated_starts.values()} | {self.treatment_year}) > 1


class EvaluationRun(models.Model):
    """One computation of an evaluation on the data of that moment; never edited after it ends."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="runs",
        help_text=_("The evaluation that was run."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who started the run."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.QUEUED,
        help_text=_("Where the run is."),
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, help_text=_("Percentage done."))
    stage = models.CharField(_("stage"), max_length=200, blank=True, help_text=_("What the run is doing."))
    data_version = models.PositiveIntegerField(
        _("data version"),
        default=0,
        help_text=_("Id of the newest data import when the run started."),
    )
    specification = models.JSONField(
        _("specification"),
        default=dict,
        help_text=_("Everything needed to reproduce the run."),
    )
    result = models.JSONField(_("result"), null=True, blank=True, help_text=_("The estimate and its checks."))
    error = models.TextField(_("error"), blank=True, help_text=_("Why the run failed, in plain words."))
    job_id = models.CharField(
        _("job"),
        max_length=64,
        blank=True,
        help_text=_("The background job that computes the run (empty when computed directly)."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When requested."))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, help_text=_("When it started."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, help_text=_("When it ended."))

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.evaluation} #{self.pk}"
