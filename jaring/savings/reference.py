def load() -> dict:
    from .rates import load_rates

    return {"jht_return_rates_added": load_rates()}
