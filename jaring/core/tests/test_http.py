"""One mapping from domain errors to pages (jaring.core.http.DomainErrorMiddleware, in settings)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.core.http import DomainErrorMiddleware, raise_access_errors


def _request():
    request = RequestFactory().get("/x")
    request.user = AnonymousUser()
    request.session = {}
    return request


def test_the_middleware_is_installed():
    assert "jaring.core.http.DomainErrorMiddleware" in settings.MIDDLEWARE


def test_not_found_and_forbidden_become_django_404_and_403():
    mw = DomainErrorMiddleware(lambda r: None)
    with pytest.raises(Http404):
        mw.process_exception(_request(), NotFound("Peserta tidak ditemukan."))
    with pytest.raises(PermissionDenied):
        mw.process_exception(_request(), Forbidden("Di luar wilayah Anda."))
    assert mw.process_exception(_request(), ValueError("x")) is None  # not ours: Django's 500 handling


@pytest.mark.django_db
def test_conflict_and_invalid_input_become_a_page_with_the_message():
    mw = DomainErrorMiddleware(lambda r: None)
    r = mw.process_exception(_request(), Conflict("Tagihan ini sudah dibayar."))
    assert r.status_code == 409 and "Tagihan ini sudah dibayar." in r.content.decode()
    r = mw.process_exception(_request(), DomainError("Penghasilan harus angka.", {"income": "Isi angka."}))
    assert r.status_code == 422 and "Isi angka." in r.content.decode()


def test_a_form_view_lets_only_access_errors_escape():
    raise_access_errors(DomainError("Nama wajib diisi."))  # stays in the form
    with pytest.raises(Forbidden):
        raise_access_errors(Forbidden())
    with pytest.raises(NotFound):
        raise_access_errors(NotFound())
