"""`python -m tools.copy_screenshots` copies the browser tests' pictures into images/."""

import pytest

from tools.copy_screenshots import PICTURES, PNG_SIGNATURE, copy_screenshots


def test_copy_screenshots_copies_both_pictures(tmp_path):
    source, target = tmp_path / "screenshots", tmp_path / "images"
    source.mkdir()
    for name in PICTURES:
        (source / name).write_bytes(PNG_SIGNATURE + name.encode())
    copies = copy_screenshots(source, target)
    assert sorted(p.name for p in copies) == ["graph.png", "stepper.png", "stepper_quiz.png"]
    for name in PICTURES:
        assert (target / name).read_bytes() == PNG_SIGNATURE + name.encode()


def test_copy_screenshots_copies_nothing_when_one_is_missing(tmp_path):
    source, target = tmp_path / "screenshots", tmp_path / "images"
    source.mkdir()
    (source / "graph.png").write_bytes(PNG_SIGNATURE)
    missing = r"no stepper\.png, stepper_quiz\.png in .*run the browser tests"
    with pytest.raises(FileNotFoundError, match=missing):
        copy_screenshots(source, target)
    assert not target.exists()


def test_copy_screenshots_refuses_a_file_that_is_not_a_png(tmp_path):
    source = tmp_path / "screenshots"
    source.mkdir()
    for name in PICTURES:
        (source / name).write_bytes(b"<html>")
    with pytest.raises(ValueError, match="is not a PNG image"):
        copy_screenshots(source, tmp_path / "images")
