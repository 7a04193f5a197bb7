import datetime as dt

from ninja import Router, Schema

from phoihop.reviews.access import reviews_visible_to

router = Router(tags=["reviews"])


class ReviewOut(Schema):
    id: int
    kind: str
    title: str
    date: dt.date
    programs: list[str]
    status: str


@router.get("reviews", response=list[ReviewOut], summary="Hội nghị sơ kết, tổng kết")
def list_reviews(request):
    reviews = reviews_visible_to(request.user).prefetch_related("items__program").order_by("date", "id")
    return [
        {"id": r.pk, "kind": r.kind, "title": r.title, "date": r.date, "status": r.status,
         "programs": [item.program.code for item in r.items.all()]}
        for r in reviews
    ]
