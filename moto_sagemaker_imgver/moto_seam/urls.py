"""moto's URL table for SageMaker, pointing at this package's response class."""
from moto.sagemaker.urls import url_bases  # noqa: F401  (moto reads it from this module)

from .responses import ImageResponse

url_paths = {"{0}/$": ImageResponse.dispatch}
