"""A botocore shape's identity: the model it comes from, and its name. botocore keeps no public
link from a shape to its model, so this reads a private attribute (here only)."""
from __future__ import annotations

from botocore.model import Shape

# Keyed by the model a shape comes from and its name: shape names are unique per service only.
ShapeKey = tuple[object, str]


def shape_key(shape: Shape) -> ShapeKey:
    """The shape's model and name: every shape of one ServiceModel holds that model's resolver
    (compared by identity)."""
    return shape._shape_resolver, shape.name
