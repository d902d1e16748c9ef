"""Check results and events carry their learner too, like every learner-owned row."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_owner(apps, schema_editor):
    for name in ("CheckResult", "LabEvent"):
        model = apps.get_model("labs", name)
        for run_id, user_id in apps.get_model("labs", "LabRun").objects.values_list("id", "user_id"):
            model.objects.filter(run_id=run_id).update(user_id=user_id)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("labs", "0001_initial"),
    ]

    operations = [
        migrations.AddField("checkresult", "user", models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.CASCADE, related_name="lab_check_results", to=settings.AUTH_USER_MODEL)),
        migrations.AddField("labevent", "user", models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.CASCADE, related_name="lab_events", to=settings.AUTH_USER_MODEL)),
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
        migrations.AlterField("checkresult", "user", models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, related_name="lab_check_results", to=settings.AUTH_USER_MODEL)),
        migrations.AlterField("labevent", "user", models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, related_name="lab_events", to=settings.AUTH_USER_MODEL)),
    ]
