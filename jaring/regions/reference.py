def load() -> dict:
    from jaring.core.calendar import load_shipped

    from .codes import load_code_changes

    return {"region_code_changes_added": load_code_changes(), "holiday_years_added": load_shipped()}
