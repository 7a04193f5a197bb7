import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from phoihop.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Tạo mã truy cập API mới cho người dùng và in ra (chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Tên gợi nhớ của mã")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, username, name, format, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        token, raw = ApiToken.issue(user, name)
        if format == "json":
            self.stdout.write(json.dumps({"username": username, "token": raw, "prefix": token.prefix}))
        else:
            self.stdout.write(raw)
