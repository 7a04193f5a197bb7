from django.core.management.base import BaseCommand, CommandError

from phoihop.core.bounds import parse_id
from phoihop.reporting.access import operator_draft_scope
from phoihop.reviews import outputs
from phoihop.reviews.management.commands._write import add_output_arguments, write
from phoihop.reviews.models import Review


class Command(BaseCommand):
    help = "Xuất báo cáo sơ kết/tổng kết của một hội nghị ra .docx (và PDF với --pdf)."

    def add_arguments(self, parser):
        parser.add_argument("review_id", help="Mã số hội nghị (xem GET /api/reviews)")
        add_output_arguments(parser)

    def handle(self, review_id, output, pdf, format, **options):
        if parse_id(review_id) is None:
            raise CommandError(f"Mã hội nghị “{review_id}” không hợp lệ (phải là số).")
        review = Review.objects.filter(pk=int(review_id)).first()
        if review is None:
            raise CommandError(f"Không có hội nghị mã {review_id}.")
        # The operator on the server is trusted: a review prepared with unapproved figures gets them.
        drafts = operator_draft_scope(item.program for item in review.items.select_related("program")) \
            if review.include_unapproved else None
        write(self, outputs.review_docx(review, drafts), output, pdf, format)
