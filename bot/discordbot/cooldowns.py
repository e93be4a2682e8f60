"""One per-member rate limit shared by /quote, /fact and the Another button.

A sliding window: at most ``rate`` uses in any ``per`` seconds. Buttons have no
app-command checks, so the limit lives here (on the client) and both the command
check and the button ask it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

_SWEEP_EVERY = 1024  # members tracked before idle ones are forgotten


class MemberCooldowns:
    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.per, self._clock = rate, per, clock
        self._uses: dict[int, deque[float]] = {}

    def retry_after(self, member_id: int) -> float:
        """Seconds to wait before ``member_id`` may act again; 0.0 means go ahead (and counts the use)."""
        now = self._clock()
        uses = self._uses.setdefault(member_id, deque())
        while uses and uses[0] <= now - self.per:
            uses.popleft()
        if len(uses) >= self.rate:
            return uses[0] + self.per - now
        uses.append(now)
        if len(self._uses) > _SWEEP_EVERY:
            self._forget_idle(now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        for member_id in [m for m, uses in self._uses.items() if not uses or uses[-1] <= now - self.per]:
            del self._uses[member_id]
