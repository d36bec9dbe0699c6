from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from indicators.access import OFFICIAL_GROUP, REVIEWER_GROUP, STAFF_GROUP, VIEWER_GROUP

# Model permissions only matter in the admin site; per-plan rights come from PlanMembership.
STAFF_APPS = ("indicators", "projects", "reports", "auth")


class Command(BaseCommand):
    help = "Create the role groups (管理员, 填报员, 审核员, 查看者); staff get the admin permissions."

    def handle(self, *args, **options):
        for name in (OFFICIAL_GROUP, REVIEWER_GROUP, VIEWER_GROUP):
            Group.objects.get_or_create(name=name)
        staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        staff.permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
        self.stdout.write("roles: 管理员, 填报员, 审核员, 查看者")
