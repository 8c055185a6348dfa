from django.core.management.base import BaseCommand

from verification import risk, training


class Command(BaseCommand):
    help = "Train a new version of the listing-text model now (or record why not), then rescore."

    def handle(self, *args, **options):
        run = training.train()
        if run.reason:
            self.stdout.write(f"v{run.version}: not trained. {run.reason}")
        else:
            self.stdout.write(f"v{run.version}: trained on {run.n_train}, metrics {run.metrics}")
        self.stdout.write(f"{risk.refresh_waiting()} waiting reports rescored.")
