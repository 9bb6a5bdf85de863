"""Demo: the Kalimantan 2024 segment figures and fresh snapshots (runs last, after the other apps' demo data)."""

from pathlib import Path


def load(progress) -> dict:
    from .services import import_segments, refresh_snapshots

    with open(Path(__file__).parent / "data" / "segments_kalimantan_2024.csv", "rb") as fh:
        seg = import_segments(fh)
    progress("Membangun snapshot dasbor…")
    snap = refresh_snapshots()
    return {"segment_figures": seg["rows"], "snapshot_active": snap["active"], "snapshot_villages": snap["village_rows"]}
