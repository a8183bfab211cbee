"""The admin placeholder for organizations (unmanaged: no table; organizations live in MongoDB)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'organization',
                'verbose_name_plural': 'organizations',
                'permissions': [('manage_organizations', "Can delete organizations and reset their admins' passwords")],
                'managed': False,
                'default_permissions': (),
            },
        ),
    ]
