"""What the generator wrote into this database (so the benchmarks know the data set)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """A generated data set: its scale, seed, how long it took and how many rows it wrote."""

    scale = models.CharField(_("scale"), max_length=20)
    seed = models.IntegerField(_("seed"))
    backend = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    counts = models.JSONField(default=dict)
    # Handy ids for the benchmarks: the root, a large province, a commune, a cell, users.
    landmarks = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("generated data set")

    def __str__(self) -> str:
        return f"{self.scale} (seed {self.seed})"
