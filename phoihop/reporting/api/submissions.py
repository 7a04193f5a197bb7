"""Period reports and the approval workflow: list, submit, approve, return, reopen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from phoihop.accounts import permissions as perms
from phoihop.audit.context import acting_as
from phoihop.reporting import access, periods, services
from phoihop.reporting.api.common import (
    MAX_ROWS,
    Error,
)
from phoihop.reporting.models import (
    Submission,
)

router = Router(tags=["reporting"])


class SubmissionOut(Schema):
    organization: int
    organization_name: str
    period: str
    period_label: str
    convention: str
    status: str
    status_label: str
    next_step: str | None = Field(None, description="Bước người gọi được làm lúc này: confirm (xác nhận), approve (duyệt) hoặc null")
    may_return: bool = False
    why_not: str = Field("", description="Khi báo cáo đang chờ duyệt mà người gọi không làm được bước tiếp theo: vì sao, và ai làm được")
    deadline: dt.date
    entry_open: bool
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    return_reason: str
    reopened_until: dt.date | None


class ProblemOut(Schema):
    where: str
    message: str
    severity: str


class SubmitOut(SubmissionOut):
    warnings: list[ProblemOut]


class SubmitError(Schema):
    detail: list[ProblemOut] | dict | str


class ReturnIn(Schema):
    reason: str = Field("", max_length=2000)


class ReopenIn(Schema):
    until: dt.date
    reason: str = Field("", max_length=1000)



def _submission_out(s: Submission, user=None, cache: dict | None = None) -> dict:
    """The report as the API shows it; with `user`, their part in its approval
    (`services.approval_decision`, the same answer as the grid page and the queue)."""
    decision = services.approval_decision(user, s, cache) if user is not None else services.ApprovalDecision()
    return {
        "organization": s.organization_id, "organization_name": s.organization.name, "period": s.period.code,
        "period_label": s.period.label, "convention": s.period.convention, "status": s.status,
        "status_label": s.get_status_display(), "next_step": decision.step, "may_return": decision.may_return,
        "why_not": decision.reason,
        "deadline": s.period.deadline, "entry_open": s.entry_open(), "submitted_at": s.submitted_at,
        "approved_at": s.approved_at, "return_reason": s.return_reason, "reopened_until": s.reopened_until,
    }


def _problem_out(p: services.Problem) -> dict:
    return {"where": p.where, "message": p.message, "severity": p.severity}


@router.get("submissions", response={200: list[SubmissionOut], 401: Error}, summary="Báo cáo kỳ của các tổ chức")
def list_submissions(
    request,
    org: int | None = Query(None, description="Mã số tổ chức"),
    period: str | None = Query(None, max_length=40, description="Mã kỳ, ví dụ 2019-07"),
    status: str | None = Query(None, max_length=10, description="draft, submitted, confirmed, returned, approved"),
):
    """Reports of the caller's own organisations and of those it supervises as a standing office."""
    qs = Submission.objects.filter(organization_id__in=access.supervised_org_ids(request.user))
    if org is not None:
        qs = qs.filter(organization_id=org)
    if period:
        qs = qs.filter(period__code=period.strip().upper())
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("organization", "period").order_by("-period__start", "period__type", "organization__name")
    cache: dict = {}
    return [_submission_out(s, request.user, cache) for s in qs[:MAX_ROWS]]


def _act_on(user, org_id: int, period_code: str, action) -> Any:
    """Run `action(submission)` in one transaction; an error leaves nothing behind. The report is
    found by `access.get_report_for_user` (404 for a stranger; nothing created: the services
    store the period and report when they write) and the service decides the 403."""
    period_code = period_code[:40]
    try:
        periods.parse(period_code, periods.DECREE_09)  # the code's form is the same in both conventions
    except periods.PeriodCodeError as exc:
        raise HttpError(422, str(exc)) from None
    try:
        with transaction.atomic(), acting_as(user):
            return action(access.get_report_for_user(user, org_id, period_code))
    except Http404:
        raise HttpError(404, _("Không tìm thấy báo cáo.")) from None


def _fresh(submission: Submission, user=None) -> dict:
    """The report as stored now (one looked up unsaved is found by its organisation and period)."""
    stored = Submission.objects.select_related("organization", "period")
    if submission.pk is not None:
        return _submission_out(stored.get(pk=submission.pk), user)
    found = stored.filter(organization_id=submission.organization_id, period__convention=submission.period.convention,
                          period__code=submission.period.code).first()
    return _submission_out(found or submission, user)


@router.post(
    "submissions/{org_id}/{period_code}/submit",
    response={200: SubmitOut, 401: Error, 403: Error, 404: Error, 422: SubmitError},
    summary="Gửi báo cáo kỳ để duyệt",
)
def submit(request, org_id: int, period_code: str):
    """Refused with 422 and the list of blocking problems while a validation error remains;
    warnings do not block and come back in `warnings`."""
    user = request.user

    def action(submission):
        problems = services.submit(submission, user)
        if any(p.severity == "error" for p in problems):
            transaction.set_rollback(True)
            return Status(422, {"detail": [_problem_out(p) for p in problems]})
        return {**_fresh(submission), "warnings": [_problem_out(p) for p in problems]}

    return _act_on(user, org_id, period_code, action)


@router.post(
    "submissions/{org_id}/{period_code}/approve",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Duyệt báo cáo kỳ",
)
def approve(request, org_id: int, period_code: str):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.approve(s, request.user), request.user))


@router.post(
    "submissions/{org_id}/{period_code}/confirm",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Xác nhận báo cáo kỳ (cấp đơn vị, chương trình duyệt hai cấp)",
)
def confirm(request, org_id: int, period_code: str):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.confirm(s, request.user), request.user))


class ReportRef(Schema):
    organization: int
    period: str = Field(..., max_length=40)


class ApproveManyIn(Schema):
    reports: list[ReportRef] = Field(..., min_length=1, max_length=200)


class StepOut(Schema):
    organization: int
    period: str
    ok: bool
    step: str | None
    message: str
    status: str | None


@router.post(
    "submissions/approve-many",
    response={200: list[StepOut], 401: Error, 403: Error, 422: Error},
    summary="Duyệt (hoặc xác nhận) nhiều báo cáo kỳ một lần",
)
def approve_many(request, payload: ApproveManyIn):
    """Each report gets the caller's step (confirm or approve) through `services.approve_many`, in
    its own transaction: one that cannot be taken does not hold back the others, and its line says
    why (`ok` false). A report the caller cannot see is answered "not found" on its line; a caller
    who approves nothing anywhere gets 403, as on the queue page."""
    user = request.user
    if not (perms.org_ids_with(user, perms.APPROVE) or perms.is_system_admin(user)):
        raise HttpError(403, _("Bạn không có quyền duyệt báo cáo."))
    found, lines = [], []
    for ref in payload.reports:
        try:
            found.append(access.get_report_for_user(user, ref.organization, ref.period[:40]))
        except Http404:
            lines.append({"organization": ref.organization, "period": ref.period, "ok": False, "step": None,
                          "message": _("Không tìm thấy báo cáo."), "status": None})
    with acting_as(user):
        outcomes = services.approve_many(found, user)
    for outcome in outcomes:
        s = outcome.submission
        status = Submission.objects.filter(pk=s.pk).values_list("status", flat=True).first() if s.pk else s.status
        lines.append({"organization": s.organization_id, "period": s.period.code, "ok": outcome.ok, "step": outcome.step,
                      "message": outcome.message, "status": status})
    return lines


@router.post(
    "submissions/{org_id}/{period_code}/return",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Trả lại báo cáo kỳ để sửa",
)
def return_report(request, org_id: int, period_code: str, payload: ReturnIn):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.return_for_changes(s, request.user, payload.reason), request.user))


@router.post(
    "submissions/{org_id}/{period_code}/reopen",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Mở lại kỳ báo cáo để nhập bổ sung",
)
def reopen(request, org_id: int, period_code: str, payload: ReopenIn):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.reopen(s, request.user, payload.until, payload.reason)))


