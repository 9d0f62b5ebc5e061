"""Aggregates kept current on each transition so that statistics never scan the dossiers (DESIGN budget)."""

from django.db import models


class DossierDailyStat(models.Model):
    """Counters per (day, agency, procedure, channel); a province-year is a few hundred thousand rows at most."""

    day = models.DateField()
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("onestop.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    received = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"], name="uniq_dossier_daily_stat"),
        ]
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"
