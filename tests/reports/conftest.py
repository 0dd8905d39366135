import pytest


@pytest.fixture(autouse=True)
def report_cache_dir(settings, tmp_path):
    """Each report test has its own, empty store of rendered PDFs."""
    settings.REPORT_CACHE_DIR = tmp_path / "report-cache"
    return settings.REPORT_CACHE_DIR
