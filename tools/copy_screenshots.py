"""Copy the browser tests' screenshots into images/ for the README: ``make screenshots``.

The browser tests (tests/browser/test_lab.py) take the pictures in a real
JupyterLab, so the README always shows the widget as it really looks:
test-artifacts/screenshots/stepper.png (notebook 01's stepper half-way through
its backward pass), stepper_quiz.png (the stepper as a quiz, after a wrong and
a right prediction) and graph.png (notebook 01's graph after backward). Run
``make test`` (or ``python -m pytest tests/browser``) first.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
IMAGES = ROOT / "images"
PICTURES = ("stepper.png", "stepper_quiz.png", "graph.png")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def copy_screenshots(source: Path = SCREENSHOTS, target: Path = IMAGES) -> list[Path]:
    """Copy every picture of ``PICTURES`` from ``source`` to ``target``; the copies.

    Raises:
        FileNotFoundError: a picture is missing (nothing is copied then).
        ValueError: a file is not a PNG image.
    """
    missing = [name for name in PICTURES if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"no {', '.join(missing)} in {source}: run the browser tests first "
            "(make test, or python -m pytest tests/browser)"
        )
    for name in PICTURES:
        if not (source / name).read_bytes().startswith(PNG_SIGNATURE):
            raise ValueError(f"{source / name} is not a PNG image")
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for name in PICTURES:
        copies.append(Path(shutil.copyfile(source / name, target / name)))
    return copies


def main() -> int:
    try:
        copies = copy_screenshots()
    except (FileNotFoundError, ValueError) as error:
        print(f"copy_screenshots: {error}", file=sys.stderr)
        return 1
    for path in copies:
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
