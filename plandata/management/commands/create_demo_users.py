from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand

from indicators.access import OFFICIAL_GROUP, REVIEWER_GROUP, STAFF_GROUP, VIEWER_GROUP
from indicators.models import Plan, PlanMembership

# Demo only: the run command prints these so a newcomer can try every role. Production creates
# real accounts in the admin.
DEMO_USERS = [
    ("admin", "demo-admin-2026", "管理员（超级用户）", None, None),
    ("staff", "demo-staff-2026", STAFF_GROUP, STAFF_GROUP, None),
    ("official", "demo-official-2026", "填报员（第三师、喀什）", OFFICIAL_GROUP, "official"),
    ("reviewer", "demo-reviewer-2026", "审核员（第三师、喀什）", REVIEWER_GROUP, "reviewer"),
    ("viewer", "demo-viewer-2026", "查看者（全部规划）", VIEWER_GROUP, "viewer"),
]
DEMO_PLANS = ("div3-2021-2025", "kashgar-2021-2025")


class Command(BaseCommand):
    help = "Create one demo account per role (demo only) and print the credentials."

    def handle(self, *args, **options):
        call_command("setup_roles", stdout=self.stdout)
        for username, password, label, group, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.invalid"})
            if created:
                user.set_password(password)
                user.is_superuser = username == "admin"
                user.is_staff = username in ("admin", "staff")
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            plans = Plan.objects.all() if role == "viewer" else Plan.objects.filter(code__in=DEMO_PLANS)
            for plan in plans if role else []:
                PlanMembership.objects.get_or_create(user=user, plan=plan, role=role)
            self.stdout.write(f"demo {label}: {username} / {password}")
