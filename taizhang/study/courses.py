"""The course library's services: publishing a course with its file, recording how far a
user has watched, and a unit's group viewing; each keeps the history and the totals."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from taizhang import files
from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.study import media
from taizhang.study.models import Course, GroupViewing, Viewing

WATCHED = 90  # per cent: a viewing this far counts as having watched the course


def publish(
    actor: Actor, *, campaign, org, title, series, upload, lecturer="", description="",
    required=False, published_on=None,
) -> Course:  # fmt: skip
    """Publish a course for `org`'s subtree; `upload` is the file (name, size, chunks()).
    The file is checked before anything is kept, and kept before the course is saved."""
    require_writer(actor.user, org)
    if actor.user is not None and not actor.user.can_manage:
        raise PermissionDenied
    chunks = upload.chunks()
    head = b""
    for chunk in chunks:
        head = chunk
        break
    name, kind = media.check(upload.name, upload.size, head[:64])
    course = Course(
        campaign=campaign, org=org, title=(title or "").strip(), series=(series or "").strip(),
        lecturer=(lecturer or "").strip(), description=(description or "").strip(),
        required=required, media=kind, file_name=name, size=upload.size, sha256="0" * 64,
        published_on=published_on or timezone.localdate(), published_by=actor.user,
    )  # fmt: skip
    course.full_clean()  # every field checked before the file is kept
    course.sha256, course.size = files.store_chunks(media.KIND, _again(head, chunks))
    with transaction.atomic():
        course.save()
        record(actor, Action.CREATE, course, after=course.snapshot(), scope_path=org.path)
    return course


def _again(first, rest):
    yield first
    yield from rest


@transaction.atomic
def watched(actor: Actor, course: Course, *, position, duration, now=None) -> Viewing:
    """How far the signed-in user has watched (seconds of `duration`); a viewing only moves
    forward, and the first one counts as a view on the user's org."""
    user = actor.user
    if user is None or user.org_id is None:
        raise PermissionDenied
    now = now or timezone.now()
    position = max(0, min(int(position), 24 * 3600))
    duration = max(0, min(int(duration), 24 * 3600))
    progress = (
        100 if course.media == "pdf" else (min(100, position * 100 // duration) if duration else 0)
    )
    viewing, created = Viewing.objects.select_for_update().get_or_create(
        course=course, user=user,
        defaults={"org_id": user.org_id, "started_at": now, "seen_at": now},
    )  # fmt: skip
    viewing.position = max(viewing.position, position)
    viewing.progress = max(viewing.progress, progress)
    viewing.seen_at = now
    viewing.save()
    if created:
        viewing.course = course
        totals.recount([], counted(viewing))
    return viewing


@transaction.atomic
def record_group_viewing(actor: Actor, *, course, org, viewed_on, person_times) -> GroupViewing:
    require_writer(actor.user, org)
    viewing = GroupViewing(
        course=course, org=org, viewed_on=viewed_on, person_times=person_times,
        recorded_by=actor.user,
    )  # fmt: skip
    viewing.full_clean()
    viewing.save()
    record(actor, Action.CREATE, viewing, after=viewing.snapshot(), scope_path=org.path)
    totals.recount([], counted(viewing))
    return viewing


@transaction.atomic
def remove_group_viewing(actor: Actor, viewing: GroupViewing):
    require_writer(actor.user, viewing.org)
    totals.recount(counted(viewing), [])
    record(actor, Action.DELETE, viewing, before=viewing.snapshot(), scope_path=viewing.org.path)
    viewing.delete()
