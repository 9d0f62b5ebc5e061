"""Who approved the yearly file list and when; when a file was handed to the archive. Seeds the common
retention periods of TT 10/2022/TT-BNV so a file list can be made on a fresh database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BASIS = "Thông tư số 10/2022/TT-BNV ngày 19/12/2022 của Bộ Nội vụ"
PERIODS = [
    ("vinh-vien", "Vĩnh viễn", None),
    ("70-nam", "70 năm", 70),
    ("50-nam", "50 năm", 50),
    ("20-nam", "20 năm", 20),
    ("10-nam", "10 năm", 10),
    ("5-nam", "5 năm", 5),
    ("2-nam", "2 năm", 2),
]


def seed_periods(apps, schema_editor):
    RetentionPeriod = apps.get_model("documents", "RetentionPeriod")
    for code, name, years in PERIODS:
        RetentionPeriod.objects.get_or_create(code=code, defaults={"name": name, "years": years,
                                                                    "legal_basis": BASIS})


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_outgoing_recipients_incoming_rejected'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='workfile',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='duyệt danh mục lúc'),
        ),
        migrations.AddField(
            model_name='workfile',
            name='approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người duyệt danh mục'),
        ),
        migrations.AddField(
            model_name='workfile',
            name='archived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='nộp lưu lúc'),
        ),
        migrations.RunPython(seed_periods, migrations.RunPython.noop),
    ]
