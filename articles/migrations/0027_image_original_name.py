# Pictures keep their original file name; "decorative" marks an empty alt text as chosen (#17).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_webhooks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="decorative",
            field=models.BooleanField(
                default=False,
                help_text="Pure decoration: screen readers skip it, and it is stored with no alt text on purpose.",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="original_name",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The file's name on the uploader's computer; the stored name is generated.",
                max_length=255,
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="alt_text",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Describe the picture for people who cannot see it. Required unless the picture is decorative.",
                max_length=500,
            ),
        ),
        migrations.AddConstraint(
            model_name="image",
            constraint=models.CheckConstraint(
                condition=models.Q(("decorative", False), ("alt_text", ""), _connector="OR"),
                name="image_decorative_has_no_alt",
            ),
        ),
    ]
