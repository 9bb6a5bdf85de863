"""Builds offices.csv and branch_areas.csv (run once; the CSVs are committed data).

Source and method (state of knowledge, not an official table):
- The 11 regional offices (Kantor Wilayah) and the provinces each covers follow BPJS Ketenagakerjaan's
  public regional structure (Sumbagut, Sumbar-Riau, Sumbagsel, DKI Jakarta, Banten, Jawa Barat,
  Jawa Tengah & DIY, Jawa Timur, Kalimantan, Sulawesi-Maluku, Bali-Nusa Tenggara-Papua) with their
  seat cities.
- 122 branch offices (SPEC 2.7): every province gets at least one, in its capital (or the city where
  the branch office sits); the rest are apportioned to provinces by their number of regencies/cities
  (largest remainder) and placed in cities (kota) first, then regencies, by Kemendagri code order.
  Branch names are "Kantor Cabang <city>". The real branch list can replace these rows without a
  code change.
- Every regency/city is served by exactly one branch: the branch in the same province whose city code
  is nearest by Kemendagri code (ties to the lower code).
Run: python -m jaring.regions.data.build_offices
"""

import csv
from pathlib import Path

from lokal import wilayah

TOTAL_BRANCHES = 122
REGIONAL = [
    # code, name, seat regency code, provinces
    ("KW-SUMBAGUT", "Kantor Wilayah Sumatera Bagian Utara", "12.71", ["11", "12"]),
    ("KW-SUMBARRIAU", "Kantor Wilayah Sumatera Barat dan Riau", "14.71", ["13", "14", "21"]),
    ("KW-SUMBAGSEL", "Kantor Wilayah Sumatera Bagian Selatan", "16.71", ["15", "16", "17", "18", "19"]),
    ("KW-DKI", "Kantor Wilayah DKI Jakarta", "31.71", ["31"]),
    ("KW-BANTEN", "Kantor Wilayah Banten", "36.73", ["36"]),
    ("KW-JABAR", "Kantor Wilayah Jawa Barat", "32.73", ["32"]),
    ("KW-JATENGDIY", "Kantor Wilayah Jawa Tengah dan DIY", "33.74", ["33", "34"]),
    ("KW-JATIM", "Kantor Wilayah Jawa Timur", "35.78", ["35"]),
    ("KW-KALIMANTAN", "Kantor Wilayah Kalimantan", "64.71", ["61", "62", "63", "64", "65"]),
    ("KW-SULAMA", "Kantor Wilayah Sulawesi dan Maluku", "73.71", ["71", "72", "73", "74", "75", "76", "81", "82"]),
    ("KW-BANUSPA", "Kantor Wilayah Bali, Nusa Tenggara dan Papua", "51.71",
     ["51", "52", "53", "91", "92", "93", "94", "95", "96"]),
]
# Seat of the first branch per province, by name (province capitals or the main branch city).
CAPITAL = {
    "11": "Kota Banda Aceh", "12": "Kota Medan", "13": "Kota Padang", "14": "Kota Pekanbaru", "15": "Kota Jambi",
    "16": "Kota Palembang", "17": "Kota Bengkulu", "18": "Kota Bandar Lampung", "19": "Kota Pangkal Pinang",
    "21": "Kota Batam", "31": "Kota Administrasi Jakarta Pusat", "32": "Kota Bandung", "33": "Kota Semarang",
    "34": "Kota Yogyakarta", "35": "Kota Surabaya", "36": "Kota Serang", "51": "Kota Denpasar",
    "52": "Kota Mataram", "53": "Kota Kupang", "61": "Kota Pontianak", "62": "Kota Palangkaraya",
    "63": "Kota Banjarmasin", "64": "Kota Samarinda", "65": "Kota Tarakan", "71": "Kota Manado", "72": "Kota Palu",
    "73": "Kota Makassar", "74": "Kota Kendari", "75": "Kota Gorontalo", "76": "Kabupaten Mamuju",
    "81": "Kota Ambon", "82": "Kota Ternate", "91": "Kota Jayapura", "92": "Kabupaten Manokwari",
    "93": "Kabupaten Merauke", "94": "Kabupaten Nabire", "95": "Kabupaten Jayawijaya", "96": "Kota Sorong",
}


def short(name: str) -> str:
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def main() -> None:
    provinces = {w.code: w.name for w in wilayah.list_wilayah()}
    regencies = {p: [(w.code, w.name) for w in wilayah.list_wilayah(p)] for p in provinces}
    # apportion 122: one each, the rest by regency count (largest remainder)
    spare = TOTAL_BRANCHES - len(provinces)
    total_reg = sum(len(v) for v in regencies.values())
    quotas = {p: spare * len(v) / total_reg for p, v in regencies.items()}
    alloc = {p: 1 + int(q) for p, q in quotas.items()}
    left = TOTAL_BRANCHES - sum(alloc.values())
    for p in sorted(quotas, key=lambda p: (-(quotas[p] - int(quotas[p])), p))[:left]:
        alloc[p] += 1
    for p in alloc:
        alloc[p] = min(alloc[p], len(regencies[p]))
    assert sum(alloc.values()) == TOTAL_BRANCHES, sum(alloc.values())

    region_of = {p: code for code, _, _, provs in REGIONAL for p in provs}
    here = Path(__file__).parent
    branches = []
    areas = []
    for p in sorted(provinces):
        regs = regencies[p]
        by_name = {name: code for code, name in regs}
        first = by_name[CAPITAL[p]]
        order = [first] + [c for c, n in regs if n.startswith("Kota") and c != first] + \
                [c for c, n in regs if not n.startswith("Kota") and c != first]
        seats = order[: alloc[p]]
        names = dict(regs)
        for c in seats:
            branches.append((f"KC-{c.replace('.', '')}", f"Kantor Cabang {short(names[c])}", region_of[p], c))
        for c, _ in regs:
            num = int(c.split(".")[1])
            seat = min(seats, key=lambda s: (abs(int(s.split(".")[1]) - num), s))
            areas.append((c, f"KC-{seat.replace('.', '')}"))
    with open(here / "offices.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["kind", "code", "name", "parent", "city_code"])
        for code, name, seat, _ in REGIONAL:
            w.writerow(["regional", code, name, "", seat])
        for row in branches:
            w.writerow(["branch", *row])
    with open(here / "branch_areas.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["regency_code", "branch_code"])
        w.writerows(areas)
    print(len(REGIONAL), "regional offices;", len(branches), "branches;", len(areas), "regencies")


if __name__ == "__main__":
    main()
