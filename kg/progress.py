"""Progress of long start-up work: a tqdm bar on stderr when it is a terminal, silence otherwise.

Start-up work (training the ranker, calibrating it, loading the verbalizer) takes seconds; a
person at a terminal should see what is happening ("training the ranker on 150 users"), a
log file or a test should not. ``enabled=None`` decides by whether stderr is a terminal.
"""
from __future__ import annotations

import sys

from tqdm import tqdm


def progress(total: int | None, what: str, enabled: bool | None = None, unit: str = "step") -> tqdm:
    """A bar of ``total`` steps titled ``what``; ``set_description_str`` says the current step.

    ``enabled``: True or False forces it on or off; None shows it only when stderr is a terminal
    (tqdm's ``disable=None``). Use it as a context manager so the bar always closes.
    """
    return tqdm(total=total, desc=what, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True,
                disable=None if enabled is None else not enabled)
