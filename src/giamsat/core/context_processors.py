from __future__ import annotations

from django.conf import settings

import giamsat as _pkg
from giamsat.core.menu import menu_for


def giamsat(request) -> dict:
    return {
        "giamsat_demo": settings.DEMO_MODE,
        "giamsat_version": _pkg.__version__,
        "giamsat_menu": menu_for(request),
    }
