from django.http import Http404
from django.shortcuts import get_object_or_404

from taizhang.campaigns.models import Campaign
from taizhang.ledger.models import Activity, Venue
from taizhang.params import get_or_404


def get_activity(user, pk) -> Activity:
    return get_or_404(
        Activity.objects.visible_to(user).select_related(
            "org", "kind__campaign", "batch", "venue", "visited_org", "leader", "recorded_by"
        ),
        pk,
    )


def get_venue(user, pk) -> Venue:
    return get_or_404(Venue.objects.visible_to(user).select_related("owner"), pk)


def get_campaign(request) -> Campaign | None:
    """The campaign a page shows: ?campaign=code, else the current one."""
    code = request.GET.get("campaign")
    if code:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise Http404
        return campaign
    return Campaign.objects.current()


def get_kind(campaign, code):
    if campaign is None:
        raise Http404
    return get_object_or_404(campaign.kinds.recordable().select_related("campaign"), code=code)
