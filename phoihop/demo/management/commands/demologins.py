import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from phoihop.accounts.models import Membership
from phoihop.demo.users import DEMO_USERS, demo_password


class Command(BaseCommand):
    help = "In tài khoản đăng nhập của dữ liệu minh họa."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format="text", **options):
        User = get_user_model()
        rows = []
        for username in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            membership = Membership.objects.filter(user=user).select_related("organization").first()
            rows.append({
                "username": username,
                "role": membership.get_role_display() if membership else "Quản trị hệ thống",
                "organization": membership.organization.name if membership else "—",
            })
        password = demo_password()
        if format == "json":
            self.stdout.write(json.dumps({"password": password, "users": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {password})")
        for row in rows:
            self.stdout.write(f"  {row['username']:<12} {row['role']:<24} {row['organization']}")
        self.stdout.write(f"Quản trị: http://127.0.0.1:8000/quan-tri/  — đăng nhập: admin / {password}")
