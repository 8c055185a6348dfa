from django.core.management.base import BaseCommand

from reports.demo import DEMO_PASSWORD
from reports.reference import load_reference_data, reference_loaded
from training.content import load_training_content
from training.demo import demo_loaded, load_demo_data


class Command(BaseCommand):
    help = "Load reference data, training modules and demo accounts/reports; print the logins."

    def handle(self, *args, **options):
        load_reference_data()
        # Before the demo reports: the keyword library (a receiver) then matches them.
        reference_loaded.send(sender=self.__class__)
        load_training_content()
        accounts = load_demo_data()
        demo_loaded.send(sender=self.__class__, accounts=accounts)
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        )
        for email, role in accounts:
            self.stdout.write(f"  {role:<14} {email}")
        self.stdout.write("")
