"""Reference data every database needs: the document types of NĐ 30/2020 and the retention periods of
TT 10/2022/TT-BNV (see egov.documents.services.reference)."""

from django.db import migrations


def load(apps, schema_editor):
    from egov.documents.services.reference import reference_data_load

    reference_data_load(apps)


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_signingcredential")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
