"""`accountable evaluate`: score the warning engine against the demo's planted archetypes.

    accountable evaluate --seed 1 2 3 --people 40
    accountable evaluate --seed 7 --people 120 --format json

For each seed, one after the other in one child process bound to a scratch
database (never the real one; see `core.scratch`), generates the demo
organisation, runs the engine as the nightly job would, and prints precision
and recall per warning kind and per diagnosis cause against the ground-truth
file, the overall recall, and the false alarms on healthy reps (stars, steady
performers, new hires ramping); then the planted habits of the accountability
loop the product shows right (the over-caller's and the sandbagger's forecast
bias, the missers' and keepers' missed-commitments warning). With more than one
seed it ends with every seed added up: per warning kind the planted cases,
found, missed (and of those, not enough data), recall, and the false alarms on
healthy reps with their rate per 20 healthy reps. The engine never sees the
ground truth; only this scoring step reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accountable.core.scratch import in_scratch, rerun_in_scratch
from accountable.demo.errors import DemoError
from accountable.demo.evaluation import demo_evaluate, evaluation_summary
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
            # One child process for every seed, one after the other: the seeds share
            # the scratch database, each generated and rolled back in turn.
            argv = ["--seed", *map(str, seed), "--people", str(people), "--as-of", day.isoformat()]
            rerun_in_scratch(
                "evaluate",
                [*argv, "--format", format],
                flag=SCRATCH_FLAG,
                what=f"the evaluation of seed{'s' if len(seed) > 1 else ''} "
                f"{', '.join(map(str, seed))}",
            )
            return
        call_command("migrate", interactive=False, verbosity=0)
        runs = [self._evaluate(one, people, as_of_from(as_of)) for one in seed]
        summary = evaluation_summary(runs)
        if format == "json":
            self.stdout.write(json.dumps({"runs": runs, "summary": summary}))
            return
        for figures in runs:
            self._table(figures)
        if len(runs) > 1:
            self._summary(summary, people, as_of_from(as_of))

    def _evaluate(self, seed: int, people: int, day) -> dict:
        """One seed's figures, its demo rolled back afterwards (the next seed needs an
        empty database)."""
        truth_path = Path(settings.VAR_DIR) / f"demo-ground-truth-{seed}.json"
        figures: dict = {}
        try:
            with transaction.atomic():
                figures = demo_evaluate(seed=seed, people=people, as_of=day, truth_path=truth_path)
                transaction.set_rollback(True)
        except DemoError as error:
            raise CommandError(str(error)) from error
        return figures

    def _table(self, figures: dict) -> None:
        out = self.stdout.write
        rate = figures["false_alarm_rate"]
        out(
            f"Seed {figures['seed']}, {figures['people']} people, as of {figures['as_of']}: "
            f"{figures['reps']} reps, {figures['healthy']} healthy (star, steady, new hire)."
        )
        out(
            f"Overall recall {figures['overall_recall']:.0%} "
            f"({figures['found']} of {figures['expected']} expected warnings and causes); "
            f"healthy reps with a false alarm {figures['false_alarms']} "
            f"({rate:.1%}); real quota misses among them "
            f"{figures['real_quota_misses_among_healthy']}; effort right "
            f"{figures['effort_accuracy']:.0%}."
        )
        out("")
        out(_header("warning kind") + f" {'no data':>8} {'healthy':>8}")
        for name, tally in figures["warnings"].items():
            out(
                _tally_row(name, tally)
                + f" {tally['fn_not_enough_data']:>8} {tally['healthy_alarms']:>8}"
            )
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

    def _summary(self, summary: dict, people: int, day) -> None:
        out = self.stdout.write
        seeds = summary["seeds"]
        out(
            f"All {len(seeds)} seeds ({', '.join(map(str, seeds))}), {people} people each, as "
            f"of {day.isoformat()}: {summary['found']} of {summary['expected']} expected "
            f"warnings and causes found; {summary['healthy']} healthy reps, "
            f"{summary['healthy_alarms']} false alarms on them "
            f"({summary['healthy_alarms_per_20']} per 20 healthy reps; "
            f"{summary['healthy_reps_alarmed']} reps with one or more)."
        )
        out("")
        out(
            f"{'warning kind':<20} {'planted':>7} {'found':>6} {'missed':>6} {'no data':>8} "
            f"{'recall':>7} {'alarms':>7} {'per 20':>7}"
        )
        for name, kind in summary["kinds"].items():
            per_20 = kind["alarms_per_20_healthy"]
            out(
                f"{name:<20} {kind['planted']:>7} {kind['found']:>6} {kind['missed']:>6} "
                f"{kind['not_enough_data']:>8} {_pct(kind['recall']):>7} {kind['alarms']:>7} "
                f"{'—' if per_20 is None else f'{per_20:.2f}':>7}"
            )
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
