"""ArticleEvent: "imported", an article an import updated (who, from which file)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_authors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articleevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted for review"),
                    ("returned", "Sent back to draft"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("edited", "Changed while published"),
                    ("change_submitted", "Change submitted for review"),
                    ("change_published", "Change published"),
                    ("change_returned", "Change sent back"),
                    ("corrected", "Correction or update published"),
                    ("correction_changed", "Correction or update changed"),
                    ("correction_removed", "Correction or update removed"),
                    ("restored", "Revision restored"),
                    ("deleted", "Deleted"),
                    ("imported", "Updated by an import"),
                ],
                max_length=20,
            ),
        ),
    ]
