from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DefaultIndonesianLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the person chose another language (the language switch cookie).

    The browser's Accept-Language is ignored on purpose: many phones in Indonesia are set to
    English while their owners expect the service in Indonesian.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
