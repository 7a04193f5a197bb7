from __future__ import annotations

from django.db.models import Q, QuerySet

from phoihop.accounts import permissions as perms
from phoihop.reporting.access import DraftScope, draft_scope, includes_unapproved
from phoihop.reviews.models import Review, ReviewStatus


def reviews_visible_to(user) -> QuerySet[Review]:
    """Issued reports are public to logged-in users; a review in preparation belongs to its
    organiser and the parties of its programs."""
    return perms.scoped(user, Review.objects.all(), lambda mine: (
        Q(status=ReviewStatus.ISSUED) | Q(organizer_id__in=mine) | Q(items__program__parties__organization_id__in=mine)
        | Q(issuers__organization_id__in=mine)
    ))


def get_review_for_user(user, pk: int, action: str = perms.VIEW) -> Review:
    return perms.get_for_user(user, reviews_visible_to(user), action, pk=pk,
                              not_found="Không tìm thấy hội nghị.", owners=Review.related_organization_ids)


def figures_for(user, review: Review, *, asked: bool = False) -> DraftScope | None:
    """The leave to show this review's figures with unapproved values (when the review is
    prepared with them, or `asked`), or None for approved figures only: only someone who
    supervises every party of every reviewed program gets it (`reporting.access.draft_scope`)."""
    if not (asked or review.include_unapproved):
        return None
    return draft_scope(user, [item.program for item in review.items.select_related("program")])


def may_see_draft_figures(user, review: Review) -> bool:
    """Would `figures_for(user, review, asked=True)` grant the leave (the page offers the switch)?"""
    return figures_for(user, review, asked=True) is not None


def with_unapproved(drafts: DraftScope | None, review: Review) -> bool:
    """Are the review's figures computed with unapproved values under `drafts`? Only when it is a
    real leave covering every reviewed program."""
    return includes_unapproved(drafts, [item.program for item in review.items.select_related("program")])
