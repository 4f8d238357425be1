from __future__ import annotations

from accountable.core.navigation import nav_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": [], "nav_section": None}
    section = request.path.strip("/").split("/")[0]
    return {"nav_items": nav_for(user), "nav_section": section}
