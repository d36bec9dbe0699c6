"""Serve Plotly's JavaScript from the installed plotly package: no CDN, and the version always
matches the Python package that builds the figures."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
SERVED = {"vendor/plotly.min.js": "plotly.min.js"}


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path in SERVED:
            found = str(PLOTLY_DIR / SERVED[path])
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in SERVED.values():
            yield name, self.storage
