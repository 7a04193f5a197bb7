from django.core.management.base import BaseCommand, CommandError

from phoihop.programs.models import Program
from phoihop.reviews import outputs
from phoihop.reviews.management.commands._write import write


class Command(BaseCommand):
    help = "Xuất văn bản chương trình phối hợp (đủ tiêu đề và chữ ký của các bên) ra .docx (và PDF với --pdf)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã chương trình, ví dụ bn-phoihop-2019-2023")
        parser.add_argument("-o", "--output", required=True, help="Tệp .docx cần ghi")
        parser.add_argument("--pdf", action="store_true", help="Ghi thêm bản PDF (cần LibreOffice)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, code, output, pdf, format, **options):
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"Không có chương trình mã “{code}”.")
        write(self, outputs.program_docx(program), output, pdf, format)
