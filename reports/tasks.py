"""Building large reports in the background, and clearing expired files."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from indicators.access import plans_for_user
from reports import service
from reports.models import ReportJob


# The job row records state and file; no Celery result is needed (and none is waited on).
@shared_task(name="reports.build_report", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_report(job_id):
    job = ReportJob.objects.select_related("plan", "requested_by").get(pk=job_id)
    job.state, job.progress = ReportJob.State.RUNNING, 1
    job.save(update_fields=["state", "progress"])

    def progress(done, total):
        percent = max(1, min(99, int(done * 100 / max(total, 1))))
        if percent - job.progress >= 5:
            job.progress = percent
            job.save(update_fields=["progress"])

    try:
        plans = list(plans_for_user(job.requested_by)) if job.kind == "summary" else None
        with translation.override(job.language):
            content, name, _ = service.build(job.kind, plan=job.plan, plans=plans, year=job.year, progress=progress)
    except Exception as exc:  # recorded on the job for the person waiting on its page
        job.state, job.error = ReportJob.State.FAILED, str(exc)
        job.save(update_fields=["state", "error"])
        raise
    job.file.save(name, ContentFile(content), save=False)
    job.filename = name
    job.state, job.progress = ReportJob.State.DONE, 100
    job.expires_at = timezone.now() + datetime.timedelta(hours=settings.REPORT_FILE_HOURS)
    job.save()
    return job.pk


@shared_task(name="reports.remove_expired")
def remove_expired():
    removed = 0
    for job in ReportJob.objects.filter(expires_at__lt=timezone.now()):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
