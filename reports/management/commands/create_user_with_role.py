"""An operator creates an account with a role. It lives in reports, not spotter, because
company staff belong to a member company (reports' reference data)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import MemberCompany
from spotter.models import Role, User
from spotter.services import create_user_with_role


class Command(BaseCommand):
    help = "Create a user with a role (volunteer, expert, company_staff, admin)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--company", help="Member company slug (company_staff only).")
        parser.add_argument(
            "--password",
            help="Omit to create an account without a password "
            "(send an invitation from the admin).",
        )
        parser.add_argument("--name", default="", help="Display name.")
        parser.add_argument("--country", default="", help="Two-letter country code.")

    def handle(
        self, *args, email, role, company=None, password=None, name="", country="", **options
    ):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the email {email} already exists.")
        company_obj = None
        if company:
            company_obj = MemberCompany.objects.filter(slug=company).first()
            if company_obj is None:
                raise CommandError(f"No member company with slug {company!r}.")
        try:
            user = create_user_with_role(
                email=email,
                role=role,
                password=password,
                company=company_obj,
                display_name=name,
                country=country,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} as {user.get_role_display()}."))
