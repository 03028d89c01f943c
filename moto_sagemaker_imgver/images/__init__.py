"""The image family: images (image.py), their versions and aliases (version.py)."""
from .image import Image
from .store import ImageStore
from .version import ImageVersion

__all__ = ["Image", "ImageStore", "ImageVersion"]
