"""Who may edit training content: experts, through the "Experts (training editors)" group.

The group and its model permissions are created by a data migration; this keeps group
membership in step with the expert role whenever spotter.services sets a role (it sends
spotter.signals.role_changed; training.signals receives it).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from spotter.models import Role, User

TRAINING_EDITORS_GROUP = "Experts (training editors)"
EDITABLE_MODELS = ("module", "lesson", "question", "choice")


def sync_training_editor_group(user: User) -> None:
    """Experts join the editors group; anyone whose role changes away from expert leaves it."""
    group = Group.objects.filter(name=TRAINING_EDITORS_GROUP).first()
    if group is None:
        return
    if user.role == Role.EXPERT:
        user.groups.add(group)
    else:
        user.groups.remove(group)
