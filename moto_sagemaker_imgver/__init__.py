"""SageMaker's custom-image APIs for moto. Importing the package installs them into moto."""
from .registration import check_moto_version, install

__all__ = ["install"]
__version__ = "0.1.0"

check_moto_version()
install()
