"""One mapping from domain errors to pages (jaring.core.guard's middleware; jaring.core.http.page_for)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.core.guard import RequestGuardMiddleware
from jaring.core.http import domain_errors_as_http, raise_access_errors


def _request(path="/x"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = {}
    return request


def test_the_mapping_middleware_is_installed():
    assert "jaring.core.guard.RequestGuardMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
@pytest.mark.parametrize("exc, status", [
    (NotFound("Peserta tidak ditemukan."), 404),
    (Forbidden("Di luar wilayah Anda."), 403),
    (Conflict("Tagihan ini sudah dibayar."), 409),
    (DomainError("Penghasilan harus angka.", {"income": "Isi angka."}), 422),
])
def test_a_domain_error_escaping_a_page_is_a_styled_page_with_its_status(exc, status):
    mw = RequestGuardMiddleware(lambda r: None)
    r = mw.process_exception(_request(), exc)
    html = r.content.decode()
    assert r.status_code == status and 'data-testid="error-page"' in html and exc.message in html
    # a view wrapped explicitly answers the same
    r2 = domain_errors_as_http(lambda request: (_ for _ in ()).throw(exc))(_request())
    assert r2.status_code == status and exc.message in r2.content.decode()


def test_not_ours_is_left_to_django():
    assert RequestGuardMiddleware(lambda r: None).process_exception(_request(), ValueError("x")) is None


def test_a_form_view_lets_only_access_errors_escape():
    raise_access_errors(DomainError("Nama wajib diisi."))  # stays in the form
    with pytest.raises(Forbidden):
        raise_access_errors(Forbidden())
    with pytest.raises(NotFound):
        raise_access_errors(NotFound())
