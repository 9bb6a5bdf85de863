from hypothesis import given
from hypothesis import strategies as st

from jaring.rules.identifiers import is_valid_kpj, make_kpj, mask_name, mask_nik

serials = st.integers(1, 10**10 - 1)


def test_kpj_is_11_digits():
    assert make_kpj(1) == "0000000001" + make_kpj(1)[-1]
    assert len(make_kpj(9_999_999_999)) == 11 and is_valid_kpj(make_kpj(9_999_999_999))


@given(serials, st.integers(0, 10), st.integers(1, 9))
def test_any_single_digit_error_is_caught(serial, pos, delta):
    kpj = make_kpj(serial)
    wrong = kpj[:pos] + str((int(kpj[pos]) + delta) % 10) + kpj[pos + 1:]
    assert is_valid_kpj(kpj) and not is_valid_kpj(wrong)


@given(serials, st.integers(0, 9))
def test_any_adjacent_swap_is_caught(serial, pos):
    kpj = make_kpj(serial)
    if kpj[pos] == kpj[pos + 1]:
        return
    swapped = kpj[:pos] + kpj[pos + 1] + kpj[pos] + kpj[pos + 2:]
    assert not is_valid_kpj(swapped)


def test_masks():
    assert mask_nik("6371041234560001") == "6371********0001"
    assert mask_name("Siti Aminah") == "S*** A*****"
