"""A tiny generated data set in the test database (every kind of record, a few hundred rows)."""

from __future__ import annotations

import pytest

from giamsat.scale.generator import Generator
from giamsat.scale.shapes import get_shape

SEED = 7


@pytest.fixture
def tiny(db):
    """The tiny data set (seed 7), generated through the bulk paths of the real generator."""
    return Generator(get_shape("tiny"), SEED).run()
