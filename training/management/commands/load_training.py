from django.core.management.base import BaseCommand

from reports.reference import load_reference_data
from training.content import load_training_content


class Command(BaseCommand):
    help = "Load (or update) the training modules, lessons and questions from training/data."

    def handle(self, *args, **options):
        # Modules point at species groups, so make sure the reference data is there.
        load_reference_data()
        counts = load_training_content()
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded {modules} modules, {lessons} lessons, {questions} questions.".format(
                    **counts
                )
            )
        )
