"""manage.py deliver_webhooks [--once]: the service's background worker. Besides webhooks it
removes TTL-expired documents on the embedded store every minute (tenancy.expiry)."""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings

from kernel.errors import Unavailable
from organizations.management.base import ServiceCommand
from organizations.webhooks.delivery import Summary, run_once, worker_id
from tenancy import expiry

_log = logging.getLogger("orgservice.webhooks")


class Command(ServiceCommand):
    help = (
        "Deliver webhook events: fan the outbox out to endpoints and send due deliveries, "
        "retrying with backoff. Runs until SIGINT/SIGTERM; --once does one pass and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args, once: bool, **options):
        if once:
            expiry.sweep()
            self._report(run_once())
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        owner = worker_id()
        self.stdout.write(f"Delivering webhooks as {owner}; Ctrl-C stops.")
        next_sweep = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() >= next_sweep:
                    expiry.sweep()
                    next_sweep = time.monotonic() + expiry.SWEEP_SECONDS
                summary = run_once(owner=owner)
            except Unavailable:
                _log.warning("webhook worker: database unavailable; retrying")
                summary = Summary()
            if summary.delivered or summary.failed:
                self._report(summary)
            elif not summary.fanned_out:
                stop.wait(settings.WEBHOOK_POLL_SECONDS)
        self.stdout.write("Stopped.")

    def _report(self, summary: Summary) -> None:
        self.stdout.write(
            f"fanned out {summary.fanned_out} events; "
            f"delivered {summary.delivered}, failed {summary.failed}"
        )
