"""Demo: the Kalimantan 2024 segment figures and fresh snapshots (runs last, after the other apps' demo data)."""

from pathlib import Path


def load(progress) -> dict:
    from .services import import_segments, refresh_snapshots

    rows = 0
    for name in ("segments_kalimantan_2024.csv", "segments_national_2025.csv"):
        with open(Path(__file__).parent / "data" / name, "rb") as fh:
            rows += import_segments(fh)["rows"]
    progress("Membangun snapshot dasbor…")
    snap = refresh_snapshots()
    return {"segment_figures": rows, "snapshot_active": snap["active"], "snapshot_villages": snap["village_rows"]}
