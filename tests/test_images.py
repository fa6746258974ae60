"""The pictures in images/ are current: drawn from what the code draws today."""

import pytest

from tools.make_images import IMAGES, PICTURES, source_hash


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_image_is_current(name):
    path = IMAGES / name
    assert path.exists(), f"images/{name} is missing: run `make images`"
    stamp = f"DOT sha256 {source_hash(PICTURES[name]())}"
    assert stamp in path.read_text(), f"images/{name} is out of date: run `make images`"


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_image_is_an_svg_picture(name):
    text = (IMAGES / name).read_text()
    assert text.startswith("<?xml")
    assert "<svg" in text and text.rstrip().endswith("</svg>")
