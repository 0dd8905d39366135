"""Static files as `make serve`'s nginx serves them."""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names and a gzipped copy of each file, without WhiteNoise's brotli copies:
    nginx serves the .gz files (Debian's nginx has no brotli module), and making the
    brotli copies took about four fifths of collectstatic's time (17 s of 20 on a busy
    two-core machine), which every start of `make serve` pays."""

    def create_compressor(self, **kwargs) -> Compressor:
        return super().create_compressor(**kwargs | {"use_brotli": False})
