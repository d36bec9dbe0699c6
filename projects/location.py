"""Which region a key project belongs to, from the location its plan prints. Plain Python.

A location that names one known region as a whole place (喀什市) puts the project there. A list of
places (准东开发区、高新区、阜康市、玛纳斯县), a place inside an unknown one (巴楚县恰尔巴格乡), a
团场 or no location at all leave it with the plan's own region: the portal does not guess which of
several places a project belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[、，,；;及和与]|\s+等")


def region_named(location: str, region_names: Iterable[str]) -> str | None:
    """The one region `location` names as a whole place, else None."""
    parts = [p.strip() for p in _SEPARATORS.split(location or "") if p.strip()]
    if len(parts) != 1:
        return None
    place = parts[0].replace(" ", "")
    return place if place in set(region_names) else None
