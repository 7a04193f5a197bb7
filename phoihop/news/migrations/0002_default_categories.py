from django.db import migrations

CATEGORIES = [
    ("Hoạt động phối hợp", "hoat-dong-phoi-hop", 10),
    ("Sơ kết, tổng kết", "so-ket-tong-ket", 20),
    ("Ngày kỷ niệm", "ngay-ky-niem", 30),
    ("Thông báo", "thong-bao", 40),
]


def seed(apps, schema_editor):
    Category = apps.get_model("news", "Category")
    for name, slug, order in CATEGORIES:
        if not Category.objects.filter(slug=slug).exists():
            Category.objects.create(name=name, slug=slug, order=order)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
