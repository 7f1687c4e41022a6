"""Recompute the kept consent statuses and compare them with the records (productions.kept_statuses.check)."""

from django.core.management.base import BaseCommand, CommandError

from productions import kept_statuses


class Command(BaseCommand):
    help = (
        "Recompute every production's consent statuses from its records and compare them with the statuses the"
        " pages filter and count on; any difference is listed, mended, and makes the command fail. What `celery"
        " beat` runs daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("production", nargs="*", type=int, help="Production ids (all by default).")

    def handle(self, *args, **options):
        differences = kept_statuses.check(options["production"] or None)
        for production_id, uses in sorted(differences.items()):
            for use_id, (kept, computed) in sorted(uses.items()):
                self.stdout.write(f"production {production_id}, use {use_id}: kept {kept}, computed {computed}")
        if differences:
            raise CommandError(f"{sum(map(len, differences.values()))} kept statuses differed; they are mended.")
        self.stdout.write("The kept consent statuses are those the records give.")
