"""Django's admin, on a site that records every change in the audit trail.

Listed in INSTALLED_APPS in place of "django.contrib.admin". A module of its
own: an apps module may declare one default configuration only.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "dz_awards.core.admin_audit.AuditedAdminSite"
