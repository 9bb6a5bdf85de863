from jaring.accounts.services import role_of
from jaring.core.plugins import modules


def nav_items(user) -> list[dict]:
    """Menu entries the user's role may open, collected from every app's ``nav.py``."""
    from django.urls import NoReverseMatch, reverse

    role = role_of(user)
    items = []
    for app, module in modules("nav"):
        for entry in getattr(module, "ITEMS", []):
            label, url_name, roles = entry[:3]
            if role in roles:
                try:
                    items.append({"label": label, "url": reverse(url_name), "app": app})
                except NoReverseMatch:
                    continue
    return items


def display_name(user) -> str:
    """How to greet a person: their full name, else the name on their member, agent or sponsor record, else
    the username (a KPJ number is nobody's name)."""
    full = user.get_full_name().strip()
    if full:
        return full
    for related in ("member", "agent", "sponsor"):
        try:
            obj = getattr(user, related)
        except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of each app
            continue
        name = (getattr(obj, "name", "") or "").strip()
        if name:
            return name
    return user.get_username()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None}
    return {"nav_items": nav_items(user), "user_role": role_of(user), "user_display_name": display_name(user)}
