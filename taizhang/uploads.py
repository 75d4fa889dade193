"""The one upload page every import uses (orgs, people, activities, problems): the form,
the result or every problem found, and htmx's partial answer. It builds on nothing above
the org app, so every app may use it."""

from django.shortcuts import render

from taizhang.audit.services import Actor, Channel
from taizhang.orgs.forms import UploadForm
from taizhang.xlsx import ImportRejected


def upload_page(request, run, *, result_template, **context):
    """Every import's page: GET shows the upload form; a POST runs `run(actor, data,
    filename)`, which returns what was imported or raises ImportRejected with every problem
    found (nothing written). An htmx POST gets only the result part. `context` gives the
    page's title, template link and note, and steps."""
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run(
                Actor(user=request.user, channel=Channel.IMPORT), upload.read(), upload.name
            )
        except ImportRejected as rejected:
            errors = rejected.errors
    context.update(form=form, errors=errors, result=result, result_template=result_template)
    partial = request.htmx and request.method == "POST"
    return render(request, result_template if partial else "_import.html", context)
