from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0002_cycle_review_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="reviewers_need_two_factor",
            field=models.BooleanField(
                default=False,
                help_text="A reviewer of this cycle must set up two-factor sign-in, and give a "
                "code when signing in, before opening any of their review pages.",
                verbose_name="reviewers must use two-factor sign-in",
            ),
        ),
    ]
