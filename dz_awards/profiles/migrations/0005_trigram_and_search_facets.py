"""pg_trgm (for "did you mean" agency names) and search vectors that also hold the
agency, city, state, category and topics. Both on PostgreSQL only: SQLite has
neither, and its search is the fallback."""

from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Value

from dz_awards.profiles.selectors import facets_text

BODY_FIELDS = ("need", "approach", "results", "durability", "replicability", "cost_funding")


def refresh_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Profile = apps.get_model("profiles", "Profile")
    rows = Profile.objects.values_list(
        "pk", "agency_name", "city", "state_code", "category_label"
    ).iterator()
    for pk, agency_name, city, state_code, category_label in rows:
        topics = Profile.topics.through.objects.filter(profile_id=pk).values_list(
            "topic__name", flat=True
        )
        text = facets_text(
            agency_name=agency_name,
            city=city,
            state_code=state_code,
            category_label=category_label,
            topics=list(topics),
        )
        Profile.objects.filter(pk=pk).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector(Value(text), weight="B", config="english")
            + SearchVector(*BODY_FIELDS, weight="C", config="english")
        )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0004_library_version")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(refresh_vectors, migrations.RunPython.noop),
    ]
