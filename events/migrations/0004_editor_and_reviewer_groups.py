"""The two editorial roles, as groups: Editors curate; Reviewers also publish.

Editors may view, add, change and delete every timeline record (and see its history),
but hold no permission on users or groups. Reviewers have all that plus the right to
publish and unpublish events and statements.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TIMELINE_MODELS = ["source", "actor", "conflict", "event", "eventparticipant", "statement", "citation"]
PUBLISH = ["publish_event", "publish_statement"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curate = Permission.objects.filter(
        content_type__app_label="events",
        codename__in=[f"{action}_{model}" for action in ("view", "add", "change", "delete") for model in TIMELINE_MODELS],
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(curate)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set(
        list(curate) + list(Permission.objects.filter(content_type__app_label="events", codename__in=PUBLISH))
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_review_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
