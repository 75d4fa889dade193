"""The one task the worker runs: a job, by id (the job's row holds everything else)."""

from django_tasks import task

from taizhang.jobs import services


@task()
def run_job(job_id: int) -> str:
    return services.run(job_id)
