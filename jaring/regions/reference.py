def load() -> dict:
    from .codes import load_code_changes

    return {"region_code_changes_added": load_code_changes()}
