import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Views pick the language from Accept-Language; tests ask for Russian explicitly.
    settings.LANGUAGE_CODE = "en"
