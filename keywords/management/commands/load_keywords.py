from django.core.management.base import BaseCommand

from keywords.loader import load_keywords


class Command(BaseCommand):
    help = "Load the starter keyword library: species names and curated terms (idempotent)."

    def handle(self, *args, **options):
        counts = load_keywords()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
