"""Celery tasks of the reporting desk."""

from celery import shared_task

from entry.reporting import reminders_send


@shared_task(name="entry.send_reminders")
def send_reminders():
    return reminders_send()
