"""The one upload page every import uses (orgs, people, activities, problems): the form,
the result or every problem found, and htmx's partial answer. A large file is not checked
in the request: it becomes a background job, and the browser is sent to its progress
page. It builds on nothing above the org app (and the jobs beside it), so every app may
use it."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render

from taizhang.audit.services import Actor, Channel
from taizhang.jobs import services as jobs
from taizhang.orgs.forms import UploadForm
from taizhang.xlsx import ImportRejected, precheck


def upload_page(request, run, *, result_template, job=None, **context):
    """Every import's page: GET shows the upload form; a POST runs `run(actor, data,
    filename)`, which returns what was imported or raises ImportRejected with every problem
    found (nothing written). An htmx POST gets only the result part. With `job` (a
    registered runner's name and its params), a file larger than IMPORT_BACKGROUND_BYTES
    is queued as that job instead. `context` gives the page's title, template link and
    note, and steps."""
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if job is not None and len(data) > settings.IMPORT_BACKGROUND_BYTES:
            try:
                precheck(data, settings.UPLOAD_MAX_BYTES)
            except ImportRejected as rejected:
                return _page(request, context, form, result_template, rejected.errors)
            runner, params = job
            queued = jobs.start(
                request.user,
                runner,
                f"{context['title']}：{upload.name}",
                params=params,
                data=data,
                filename=upload.name,
            )
            return _to(request, queued.get_absolute_url())
        try:
            result = run(Actor(user=request.user, channel=Channel.IMPORT), data, upload.name)
        except ImportRejected as rejected:
            errors = rejected.errors
    return _page(request, context, form, result_template, errors, result)


def _page(request, context, form, result_template, errors, result=None):
    """The page with the result or the problems found (an htmx POST gets only that part)."""
    context.update(form=form, errors=errors, result=result, result_template=result_template)
    partial = request.htmx and request.method == "POST"
    return render(request, result_template if partial else "_import.html", context)


def _to(request, url):
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)
