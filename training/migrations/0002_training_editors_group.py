"""Experts edit training content in the admin: a group with the content model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Experts (training editors)"
MODELS = ("module", "lesson", "question", "choice")


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them exist now.
    app_config = apps.get_app_config("training")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("spotter", "User")
    group, _ = Group.objects.get_or_create(name=GROUP)
    perms = Permission.objects.filter(
        content_type__app_label="training", content_type__model__in=MODELS
    )
    group.permissions.set(perms)
    for user in User.objects.filter(role="expert"):
        user.groups.add(group)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
