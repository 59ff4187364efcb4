"""How far a build of the data has got: its step, how many steps, since when.

At 10 million figures the first start after a data change validates the files
and builds the counting model for about a minute. The build reports each step
here (``impact.db.write_file``); the app shows it to the reader who opened the
dashboard meanwhile instead of a blank page (``impact.ui.building``). Steps are
message ids, translated where they are shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from impact.i18n import N_

# One step of a build, as the build announces it: (message id, table or file name).
Step = tuple[str, str]
Listener = Callable[[Step, int, int], None]

CHECKING = N_("Reading and checking the data files")
COPYING = N_("Storing the checked tables")
MODEL = N_("Building the counting tables: {name}")
SAVING = N_("Saving the database")


@dataclass
class Progress:
    """A build's progress, written by the building thread and read by page runs."""

    started: float = field(default_factory=time.monotonic)
    step: Step = (CHECKING, "")
    done: int = 0
    total: int = 1
    finished: bool = False
    error: BaseException | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def report(self, step: Step, done: int, total: int) -> None:
        """The build starts ``step``, the ``done``-th of ``total`` (a ``Listener``)."""
        with self._lock:
            self.step, self.done, self.total = step, done, max(total, 1)

    def finish(self, error: BaseException | None = None) -> None:
        with self._lock:
            self.finished, self.error = True, error
            if error is None:
                self.done = self.total

    @property
    def fraction(self) -> float:
        """Steps done over steps (0 to 1)."""
        with self._lock:
            return min(1.0, self.done / self.total)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
