"""Notices: the inbox and the notices sent, writing one (to a subtree, codes or a gap
list), reading and replying, the receipt table with its reminders and export, and the
attachments' downloads."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.services import Actor
from taizhang.downloads import xlsx_response
from taizhang.office import attachments, recipients
from taizhang.office.access import get_attachment, get_notice
from taizhang.office.forms import NoticeForm, ReplyForm
from taizhang.office.models import Notice, Receipt, ReceiptState
from taizhang.office.services import notices as services
from taizhang.orgs.access import require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.scope import Scope
from taizhang.pages import with_campaign
from taizhang.pagination import paginate
from taizhang.xlsx import write_rows, zh_label

INBOX, SENT = "inbox", "sent"


@login_required
def notice_list(request):
    """The inbox (notices to the user's own org) and the notices sent from the subtree."""
    user = request.user
    box = request.GET.get("box") or (SENT if user.can_manage and not user.org_id else INBOX)
    box = box if box in (INBOX, SENT) else INBOX
    today = timezone.localdate()
    if box == INBOX:
        found = (
            Receipt.objects.filter(org_id=user.org_id)
            .select_related("notice__sender")
            .order_by("-notice__sent_at", "-id")
        )
    else:
        found = (
            Notice.objects.filter(Scope.of(user).q_own("sender__path"))
            .select_related("sender")
            .annotate(
                recipients=Count("receipts"),
                replied=Count("receipts", filter=Q(receipts__replied_at__isnull=False)),
                read=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
            )
        )
    return render(
        request,
        "office/notices.html",
        {"box": box, "page": paginate(request, found), "today": today},
    )


def _choose(form, user, campaign, sender):
    """(recipient orgs, how they were chosen) from the form, or ValidationError."""
    data = form.cleaned_data
    under = data.get("under") or sender
    mode = data["mode"]
    if mode == recipients.CODES:
        return recipients.by_codes(user, data.get("codes"))
    if mode == recipients.GAPS:
        metric = campaign.metrics.filter(code=data.get("metric"), aggregate="coverage").first()
        if metric is None:
            raise ValidationError({"metric": _("Choose a coverage metric.")})
        return recipients.on_gap_list(user, metric, under, data.get("period") or "")
    return recipients.in_subtree_of_kinds(sender, under, data.get("kinds") or [])


@login_required
@with_campaign
def notice_create(request, campaign):
    user = request.user
    require_manage(user)
    if user.org_id is None:
        raise Http404  # an operator sends from no office
    sender = user.org
    metrics = list(campaign.metrics.filter(aggregate="coverage"))
    initial = {"deadline": timezone.localdate() + datetime.timedelta(days=7)}
    for name in ("mode", "metric", "under", "period"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = NoticeForm(request.POST or None, request.FILES or None, user=user, metrics=metrics,
                      initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orgs, chosen_as = _choose(form, user, campaign, sender)
            notice = services.send(
                Actor.web(user), campaign=campaign, sender=sender, title=data["title"],
                body=data["body"], deadline=data["deadline"], orgs=orgs, chosen_as=chosen_as,
                files=[(f.name, f.read()) for f in data["files"]],
            )  # fmt: skip
        except ValidationError as error:
            _errors_on(form, error)
        else:
            messages.success(
                request,
                _("Sent to %(n)s organisations: %(what)s.")
                % {"n": notice.receipts.count(), "what": notice},
            )
            return redirect("office:notice", notice.pk)
    return render(request, "office/notice_form.html", {"form": form, "sender": sender})


def _errors_on(form, error):
    """The service's errors on the form; those of fields it has not (recipients) on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        apply_errors(form, error)


@login_required
def notice_detail(request, pk):
    user = request.user
    notice = get_notice(user, pk)
    today = timezone.localdate()
    own = notice.receipts.filter(org_id=user.org_id).select_related("org").first()
    if own is not None:
        services.mark_read(Actor.web(user), own)
    receipts = notice.receipts.visible_to(user).select_related("org", "replied_by")
    counts = {state: receipts.in_state(state, today).count() for state in ReceiptState.values}
    state = request.GET.get("state", "")
    shown = receipts.in_state(state, today) if state in ReceiptState.values else receipts
    page = paginate(request, shown.prefetch_related("attachments"))
    for receipt in page.object_list:
        receipt.shown_state = receipt.state(today)
    scope = Scope.of(user)
    return render(
        request,
        "office/notice.html",
        {
            "notice": notice,
            "own": own,
            "own_state": own.state(today) if own else None,
            "reply_form": ReplyForm() if own and user.can_record and not own.replied_at else None,
            "page": page,
            "counts": [(s, ReceiptState(s).label, counts[s]) for s in ReceiptState.values],
            "total": sum(counts.values()),
            "state": state,
            "sender_side": scope.has_org(notice.sender),
            "can_remind": user.can_manage and scope.has_org(notice.sender),
            "overdue": today > notice.deadline,
        },
    )


@login_required
@require_POST
def notice_reply(request, pk):
    user = request.user
    notice = get_notice(user, pk)
    require_record(user)
    receipt = notice.receipts.filter(org_id=user.org_id).first()
    if receipt is None:
        raise Http404
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply(
                Actor.web(user), receipt, text=form.cleaned_data["text"],
                files=[(f.name, f.read()) for f in form.cleaned_data["files"]],
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your reply is sent."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("office:notice", notice.pk)


@login_required
@require_POST
def notice_remind(request, pk):
    notice = get_notice(request.user, pk)
    require_manage(request.user)
    try:
        n = services.remind(Actor.web(request.user), notice)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Reminded %(n)s organisations.") % {"n": n})
    return redirect("office:notice", notice.pk)


EXPORT_HEADERS = [
    "单位代码",
    "单位",
    "状态",
    "阅读时间",
    "回执时间",
    "按时",
    "催报次数",
    "回执内容",
]


@login_required
def notice_export(request, pk):
    notice = get_notice(request.user, pk)
    today = timezone.localdate()
    receipts = notice.receipts.visible_to(request.user).select_related("org", "notice")

    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = (
        [
            r.org.code,
            r.org.name,
            zh_label(ReceiptState, r.state(today)),
            when(r.read_at),
            when(r.replied_at),
            ("是" if r.on_time else "否") if r.replied_at else "",
            r.reminders,
            r.reply,
        ]
        for r in receipts.iterator(chunk_size=2000)
    )
    return xlsx_response(write_rows("回执", EXPORT_HEADERS, rows), f"{notice.title[:40]}-回执")


@login_required
def attachment_download(request, pk):
    """Always a download, as bytes of no type a browser would render or run."""
    attachment = get_attachment(request.user, pk)
    path = attachments.path_of(attachment.sha256)
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f"attachment; filename=\"download\"; filename*=UTF-8''{quote(attachment.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
