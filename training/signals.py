"""Training's answers to spotter's signals (connected in TrainingConfig.ready())."""

from django.dispatch import receiver

from spotter.signals import role_changed

from .permissions import sync_training_editor_group


@receiver(role_changed, dispatch_uid="training.sync_training_editor_group")
def keep_editor_group_in_step(sender, user, **kwargs):
    sync_training_editor_group(user)
