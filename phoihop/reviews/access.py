from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from phoihop.accounts import permissions as perms
from phoihop.reviews.models import Review, ReviewStatus


def reviews_visible_to(user) -> QuerySet[Review]:
    """Issued reports are public to logged-in users; a review in preparation belongs to its
    organiser and the parties of its programs."""
    return perms.scoped(user, Review.objects.all(), lambda mine: (
        Q(status=ReviewStatus.ISSUED) | Q(organizer_id__in=mine) | Q(items__program__parties__organization_id__in=mine)
        | Q(issuers__organization_id__in=mine)
    ))


def get_review_for_user(user, pk: int, action: str = perms.VIEW) -> Review:
    review = reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404("Không tìm thấy hội nghị.")
    if action != perms.VIEW and not perms.can(user, action, review.related_organization_ids()):
        raise PermissionDenied
    return review
