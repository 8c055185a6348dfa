"""Notifications in a person's data export, and erased with the account (see spotter.privacy).

What someone was told (and their preferences) is theirs: exported, and deleted when the account
is closed — nothing else points at a notification.
"""

from spotter.privacy import PersonalData, register_personal_data

from .models import Notification, Preference


def _sections(user) -> dict:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "report": n.report.reference if n.report_id else None,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).select_related("report")
        ],
        "notification_preferences": dict(
            Preference.objects.filter(user=user).values_list("kind", "channel")
        ),
    }


def _erase(user) -> None:
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data(
        PersonalData(
            app_label="notifications",
            sections=_sections,
            exported_in_sections=("notification", "preference"),
            erase=_erase,
        )
    )
