from jaring.core.jobs import daily, register


@register("insights.snapshots", period=daily)
def refresh(period: str) -> dict:
    """Rebuild the dashboard snapshot tables once a day (WIB)."""
    from datetime import date

    from .services import refresh_snapshots

    return refresh_snapshots(date.fromisoformat(period))
