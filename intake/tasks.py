"""Celery tasks of bulk intake: a thin shell over ``services.run_import``.

One task per batch (not per row), on the default queue: without ``REDIS_URL`` it runs eagerly,
in-process, right after the transaction that started it commits.
"""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def import_batch(batch_id: int) -> None:
    from . import services  # services queues this task: imported here to avoid a cycle

    services.run_import(batch_id)
