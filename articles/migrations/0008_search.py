"""Full-text search support (filled in with the search feature; vendor-specific)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_workflow_images_audit")]

    operations = []
