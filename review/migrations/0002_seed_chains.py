"""Seed the routing chains of R4.1 to R4.6."""

from django.db import migrations


def forwards(apps, schema_editor):
    from review.chains import load_chains

    load_chains(apps.get_model("review", "RoutingChain"), apps.get_model("review", "ChainStep"))


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
