# Targets move to their own app (`targets`), which keeps this app's table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0002_targets_goals_okrs'),
        ('targets', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Target')],
            database_operations=[],
        ),
        # Content types and the audit trail name the model by its app: the old name goes.
        migrations.RunSQL(
            "UPDATE django_content_type SET app_label = 'targets' "
            "WHERE app_label = 'goals' AND model = 'target'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE audit_auditentry SET object_type = 'targets.target' "
            "WHERE object_type = 'goals.target'",
            migrations.RunSQL.noop,
        ),
    ]
