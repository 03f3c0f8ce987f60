from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.distribution.models import Wave
from satisfy.distribution.services import SampleError, draw_sample


class Command(BaseCommand):
    help = "Draw a sample for a wave and print its exclusions and representativeness."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("wave", type=int, help="wave id")
        parser.add_argument(
            "--method",
            default="stratified",
            choices=["all", "simple", "systematic", "stratified"],
        )
        parser.add_argument("-n", type=int, default=None)
        parser.add_argument(
            "--frame", default="customers", choices=["customers", "interactions"]
        )
        parser.add_argument("--strata", default="", help="comma-separated attributes")
        parser.add_argument(
            "--allocation",
            default="proportional",
            choices=["proportional", "equal", "minimum"],
        )
        parser.add_argument("--minimum", type=int, default=0)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.filter(pk=options["wave"]).first()
        if wave is None:
            raise CommandError(f"no wave with id {options['wave']}")
        try:
            sample = draw_sample(
                wave=wave,
                method=options["method"],
                n=options["n"],
                frame=options["frame"],
                strata=[s.strip() for s in options["strata"].split(",") if s.strip()],
                allocation=options["allocation"],
                minimum=options["minimum"],
                seed=options["seed"],
            )
        except SampleError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "sample": sample.pk,
                        "n": sample.n,
                        "eligible": sample.eligible_n,
                        "population": sample.population_n,
                        "seed": sample.seed,
                        "exclusions": sample.exclusions,
                        "representativeness": sample.representativeness,
                    }
                )
            )
            return
        self.stdout.write(
            f"sample {sample.pk}: {sample.n} of {sample.eligible_n} eligible "
            f"({sample.population_n} in the frame), seed {sample.seed}"
        )
        for reason, count in sample.exclusions.items():
            self.stdout.write(f"  excluded {reason}: {count}")
        for row in sample.representativeness:
            self.stdout.write(
                f"  {row['stratum']}: population {row['population_share']:.1%}, "
                f"sample {row['sample_share']:.1%}"
            )
