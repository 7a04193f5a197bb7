from django.core.management.base import BaseCommand, CommandError

from phoihop.programs.models import Program
from phoihop.reviews import outputs
from phoihop.reviews.management.commands._write import add_output_arguments, write


class Command(BaseCommand):
    help = "Xuất văn bản chương trình phối hợp (đủ tiêu đề và chữ ký của các bên) ra .docx (và PDF với --pdf)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã chương trình, ví dụ bn-phoihop-2019-2023")
        add_output_arguments(parser)

    def handle(self, code, output, pdf, format, **options):
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"Không có chương trình mã “{code}”.")
        write(self, outputs.program_docx(program), output, pdf, format)
