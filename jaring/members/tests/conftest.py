import pytest

MALE_NIK = "6371041508900001"     # Banjarmasin Utara, born 15-08-1990, man
FEMALE_NIK = "6371045508900002"   # Banjarmasin Utara, born 15-08-1990, woman (day + 40)
VILLAGE = "63.71.04.1001"         # Alalak Tengah, Banjarmasin Utara, Kota Banjarmasin (KC-6371)
JAKARTA_VILLAGE = "31.71.01.1001"


def worker_data(**over):
    data = {"nik": MALE_NIK, "name": "Ahmad Fauzi", "birth_date": "1990-08-15", "gender": "L",
            "phone": "0812-3456-7890", "village_code": VILLAGE, "occupation": "pedagang", "income": 1_000_000,
            "programs": "JKK,JKM", "address": "Jl. Alalak Tengah RT 03"}
    data.update(over)
    return data


@pytest.fixture
def data():
    return worker_data
