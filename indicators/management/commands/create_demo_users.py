from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

# Demo only: the run command prints these so a newcomer can log in. Production creates real accounts.
DEMO_USERS = [
    ("admin", "demo-admin-2026", "管理员（超级用户）"),
]


class Command(BaseCommand):
    help = "Create the demo accounts (demo only) and print their credentials."

    def handle(self, *args, **options):
        for username, password, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.is_staff = user.is_superuser = username == "admin"
                user.save()
            self.stdout.write(f"demo {role}: {username} / {password}")
