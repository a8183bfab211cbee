"""Progress for long management commands: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
PLAIN_STEPS = 10


class Progress:
    """Count ``total`` units of work under ``label``. On a TTY the bar redraws in place; in a log
    or a pipe a line is written at every tenth of the way, so output stays small and greppable."""

    def __init__(self, out: OutputWrapper, total: int, label: str):
        self.out, self.total, self.label = out, max(total, 0), label
        self.done = 0
        self.tty = out.isatty()
        self._next_line = 0

    def advance(self, units: int = 1) -> None:
        self.done = min(self.done + units, self.total)
        if self.tty:
            self._draw()
        elif self.done >= self._next_line or self.done == self.total:
            self._line()

    def finish(self) -> None:
        """End the bar's line (on a TTY) or write the final count if it was not written."""
        if self.tty:
            self._draw()
            self.out.write("")
        elif self.done != self.total:
            self._line()

    def _draw(self) -> None:
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r{self.label} [{bar}] {self.done}/{self.total}", ending="")
        self.out.flush()

    def _line(self) -> None:
        percent = 100 * self.done // self.total if self.total else 100
        self.out.write(f"{self.label}: {self.done}/{self.total} ({percent}%)")
        step = max(self.total // PLAIN_STEPS, 1)
        self._next_line = (self.done // step + 1) * step
