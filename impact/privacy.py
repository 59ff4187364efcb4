"""Small figures about children at risk are never shown: the one rule, and its display.

A figure is hidden when it is sensitive (its own ``sensitive`` column, or its
programme's) and below a threshold (10 by default, ``IMPACT_PRIVACY_THRESHOLD``
to change it). The rule is applied once, in SQL, when the database is built
(``queries/model/10_facts.sql``): a hidden figure's count and quote are stored
as NULL in ``facts``, so no query, page, tooltip or export can show, add or
subtract it. Siblings of a hidden part (other parts of the same whole) are
hidden too, otherwise « whole minus the other parts » would give it back; they
are not small, so they read « hidden », never « < 10 ». Every quote or note that
could give a hidden figure away — its own, its whole's, any of the same
programme and source that contains it — is withheld too. Totals therefore add
only visible figures and say so (« ≥ »); a total made of small hidden figures
only is shown as « < N » per hidden figure (impact/amounts.py).
"""

from __future__ import annotations

import os

DEFAULT_THRESHOLD = 10
THRESHOLD_ENV = "IMPACT_PRIVACY_THRESHOLD"


def threshold() -> int:
    """The configured threshold (a positive whole number; the default when unset or invalid)."""
    raw = os.environ.get(THRESHOLD_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_THRESHOLD


def hidden_text(hidden_figures: int = 1) -> str:
    """What is shown instead of hidden figures: « < 10 » (or « < 20 » for two of them)."""
    return f"< {threshold() * max(hidden_figures, 1)}"
