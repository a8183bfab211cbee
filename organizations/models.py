"""A placeholder model that gives the admin site its "Organizations" section (organizations live
in MongoDB, not in this database: the table is never created, see organizations.admin)."""

from django.db import models


class Organization(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("manage_organizations", "Can delete organizations and reset their admins' passwords"),
        ]
        verbose_name = "organization"
        verbose_name_plural = "organizations"
