from django.core.management.base import BaseCommand

from reports.reference import load_reference_data, reference_loaded


class Command(BaseCommand):
    help = "Load or refresh member companies, species and product types (idempotent)."

    def handle(self, *args, **options):
        counts = load_reference_data()
        for _receiver, result in reference_loaded.send(sender=self.__class__):
            counts.update(result or {})
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
