"""`accountable evaluate`: score the warning engine against the demo's planted archetypes.

    accountable evaluate --seed 1 2 3 --people 40
    accountable evaluate --seed 7 --people 120 --format json

For each seed, generates the demo organisation in a scratch database (never the
real one; see `core.scratch`), runs the engine as the nightly job would, and
prints precision and recall per warning kind and per diagnosis cause against
the ground-truth file, the overall recall, and the false-alarm rate among the
star and steady reps; then the planted habits of the accountability loop the
product shows right (the over-caller's and the sandbagger's forecast bias, the
missers' and keepers' missed-commitments warning). The engine never sees the
ground truth; only this scoring step reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accountable.core.scratch import in_scratch, rerun_in_scratch
from accountable.demo.errors import DemoError
from accountable.demo.evaluation import demo_evaluate
from accountable.signals.commandline import as_of_from

SCRATCH_FLAG = "ACCOUNTABLE_EVALUATE_SCRATCH"


class Command(BaseCommand):
    help = (
        "Generate the demo in a scratch database, run the engine, score it (precision, "
        "recall) and the planted forecast and commitment habits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, nargs="+", default=[7], help="One or more seeds.")
        parser.add_argument("--people", type=int, default=40, help="People in the demo.")
        parser.add_argument("--as-of", default="", help="The demo's today (default: today).")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, seed, people, as_of, format, **options):
        if not in_scratch(SCRATCH_FLAG):
            day = as_of_from(as_of)
            for one in seed:
                argv = ["--seed", str(one), "--people", str(people), "--as-of", day.isoformat()]
                rerun_in_scratch(
                    "evaluate",
                    [*argv, "--format", format],
                    flag=SCRATCH_FLAG,
                    what=f"the evaluation of seed {one}",
                )
            return
        if len(seed) != 1:
            raise CommandError("The scratch run takes one seed.")
        figures = self._evaluate(seed[0], people, as_of_from(as_of))
        if format == "json":
            self.stdout.write(json.dumps(figures))
        else:
            self._table(figures)

    def _evaluate(self, seed: int, people: int, day) -> dict:
        call_command("migrate", interactive=False, verbosity=0)
        truth_path = Path(settings.VAR_DIR) / "demo-ground-truth.json"
        try:
            figures = demo_evaluate(seed=seed, people=people, as_of=day, truth_path=truth_path)
        except DemoError as error:
            raise CommandError(str(error)) from error
        return figures

    def _table(self, figures: dict) -> None:
        out = self.stdout.write
        rate = figures["false_alarm_rate"]
        out(
            f"Seed {figures['seed']}, {figures['people']} people, as of {figures['as_of']}: "
            f"{figures['reps']} reps, {figures['star_steady']} star or steady."
        )
        out(
            f"Overall recall {figures['overall_recall']:.0%} "
            f"({figures['found']} of {figures['expected']} expected warnings and causes); "
            f"false alarms among star and steady {figures['false_alarms']} "
            f"({rate:.1%}); real quota misses among them "
            f"{figures['real_quota_misses_among_star_steady']}; effort right "
            f"{figures['effort_accuracy']:.0%}."
        )
        out("")
        out(_header("warning kind"))
        for name, tally in figures["warnings"].items():
            out(_tally_row(name, tally))
        out("")
        out(
            f"{'diagnosis cause':<20} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"
        )
        for name, tally in figures["causes"].items():
            out(_tally_row(name, tally))
        for line in figures["missed"]:
            out(f"missed: {line}")
        for line in figures["false_alarm_detail"]:
            out(f"false alarm: {line}")
        out("")
        out(
            f"Planted habits shown right: {figures['habits_right']} of "
            f"{figures['habits_planted']} (forecast bias over the last complete quarter; "
            "missed_commitments on missers, not on keepers)."
        )
        out(f"{'planted habit':<20} {'reps':>4} {'right':>6}")
        for name, tally in figures["habits"].items():
            out(f"{name:<20} {tally['planted']:>4} {tally['right']:>6}")
        for line in figures["habits_wrong"]:
            out(f"habit not shown: {line}")
        out("")


def _header(first: str) -> str:
    return f"{first:<20} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0%}"


def _tally_row(name: str, tally: dict) -> str:
    return (
        f"{name:<20} {tally['tp']:>4} {tally['fp']:>4} {tally['fn']:>4} "
        f"{_pct(tally['precision']):>10} {_pct(tally['recall']):>8}"
    )
