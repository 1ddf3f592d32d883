"""``giamsat synthesis_benchmark``: grouping precision and recall on labelled recommendations.

Prints pairwise precision and recall of ``reports.synthesis`` on the labelled paraphrases of
``reports.synthesis_data`` (the tuning set, the held-out set written after first tuning, the
seed's recommendations with the demo's other units; labels differ between sets, so they
are scored one by one),
for the default threshold and a few around it, with the time taken.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from giamsat.reports.synthesis import DEFAULT_THRESHOLD, group_texts, pairwise_score
from giamsat.reports.synthesis_data import flat, flat_held_out, flat_seed


class Command(BaseCommand):
    help = "Print grouping precision and recall of the recommendation synthesis."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        parser.add_argument("--sweep", action="store_true", help="also try nearby thresholds")
        parser.add_argument("--show", action="store_true", help="print the groups found")

    def handle(self, *args, **options):
        sets = [
            ("tuning set", flat()),
            ("held-out set", flat_held_out()),
            ("seed set", flat_seed()),
        ]
        thresholds = [options["threshold"]]
        if options["sweep"]:
            thresholds = sorted(
                {round(options["threshold"] + d, 2) for d in (-0.06, -0.03, 0, 0.03, 0.06)}
            )
        self.stdout.write(
            f"{'set':<14}{'items':>6}{'groups':>8}{'threshold':>11}{'found':>7}"
            f"{'precision':>11}{'recall':>8}{'F1':>7}{'ms':>7}"
        )
        for name, data in sets:
            texts = [t for t, _ in data]
            labels = [label for _, label in data]
            for threshold in thresholds:
                started = time.perf_counter()
                groups = group_texts(texts, threshold)
                elapsed = (time.perf_counter() - started) * 1000
                score = pairwise_score(groups, labels)
                self.stdout.write(
                    f"{name:<14}{len(texts):>6}{score.groups_true:>8}{threshold:>11.2f}"
                    f"{score.groups_found:>7}{score.precision:>11.3f}{score.recall:>8.3f}"
                    f"{score.f1:>7.3f}{elapsed:>7.0f}"
                )
                if options["show"] and threshold == options["threshold"]:
                    for group in groups:
                        self.stdout.write(
                            "  [" + ", ".join(sorted({labels[i] for i in group})) + "]"
                        )
                        for i in group:
                            self.stdout.write(f"    {texts[i][:100]}")
