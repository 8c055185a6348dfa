"""The audit log is append-only at three levels: the model/queryset (spotter.models), the admin
(read-only), and — on PostgreSQL — a trigger that refuses UPDATE and DELETE of any row, whoever
runs them. The chain head row is created here so concurrent first writers never race for it.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION spotter_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS spotter_auditevent_append_only ON spotter_auditevent;
CREATE TRIGGER spotter_auditevent_append_only
    BEFORE UPDATE OR DELETE ON spotter_auditevent
    FOR EACH ROW EXECUTE FUNCTION spotter_audit_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS spotter_auditevent_append_only ON spotter_auditevent;
DROP FUNCTION IF EXISTS spotter_audit_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("spotter", "AuditChainHead")
    AuditEvent = apps.get_model("spotter", "AuditEvent")
    if AuditChainHead.objects.filter(pk=1).exists():
        return
    last = AuditEvent.objects.order_by("-id").first()
    AuditChainHead.objects.create(
        pk=1,
        last_hash=last.hash if last else "0" * 64,
        count=AuditEvent.objects.count(),
    )


class Migration(migrations.Migration):
    dependencies = [("spotter", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["id"]},
        ),
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
