"""The worker's schedule: apps register periodic jobs; each runs once per period key.

``jaring worker`` calls :func:`run_due` every minute. A job's ``period(now)`` names the period it
is due for (e.g. ``"2026-05"`` for a monthly billing run); a :class:`JobRun` row per (job, period)
makes a restart or a second worker harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    period: Callable  # (local datetime) -> str | None; None = not due now
    run: Callable  # (period: str) -> dict


REGISTRY: list[Job] = []


def register(name: str, period: Callable):
    def deco(func):
        REGISTRY.append(Job(name, period, func))
        return func
    return deco


def daily(now) -> str:
    return now.date().isoformat()


def monthly(now) -> str:
    return f"{now.year:04d}-{now.month:02d}"


def run_due(now=None) -> list[tuple[str, str, dict]]:
    now = timezone.localtime(now or timezone.now())
    done = []
    for job in list(REGISTRY):
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=job.name, period=period)
        except IntegrityError:
            continue  # already run (or running) for this period
        try:
            result = job.run(period) or {}
        except Exception:  # keep the worker alive; the row is removed so it retries next tick
            log.exception("job %s for %s failed", job.name, period)
            JobRun.objects.filter(pk=run.pk).delete()
            continue
        JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), result=result)
        done.append((job.name, period, result))
    return done
