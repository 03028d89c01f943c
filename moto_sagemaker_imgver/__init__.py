"""SageMaker's custom-image APIs for moto. Importing the package installs them into moto."""
from .registration import check_moto_version, install
from .switch import set_validation

__all__ = ["install", "set_validation"]
__version__ = "0.1.0"

check_moto_version()
install()
