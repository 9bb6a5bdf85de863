from jaring.core.calendar import load_shipped
def load() -> dict:
    from .codes import load_code_changes

    return {"region_code_changes_added": load_code_changes(), "holiday_years_added": load_shipped()}
