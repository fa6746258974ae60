"""Every worked solution passes its exercise's check, and checks reject wrong answers."""

import importlib.util
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from exercises import all_exercises, check  # noqa: E402


def _solutions():
    """(exercise id, answer) for every solution file in notebooks/solutions/."""
    for path in sorted((NOTEBOOKS / "solutions").glob("[0-9]*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for exercise_id, answer in module.SOLUTIONS.items():
            yield pytest.param(exercise_id, answer, id=exercise_id)


SOLUTIONS = list(_solutions())


@pytest.mark.parametrize(("exercise_id", "answer"), SOLUTIONS)
def test_solution_passes_its_check(exercise_id, answer, capsys):
    assert check(exercise_id, answer) is True
    assert "right!" in capsys.readouterr().out


def test_every_exercise_has_a_solution():
    solved = {p.values[0] for p in SOLUTIONS}
    assert set(all_exercises()) <= solved


def test_untouched_answer_says_not_answered(capsys):
    for exercise_id in all_exercises():
        assert check(exercise_id) is None
        assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize(("exercise_id", "answer"), SOLUTIONS)
def test_a_wrong_answer_gets_feedback(exercise_id, answer, capsys):
    """A hint, or for code exercises a message saying what is wrong with the answer."""
    wrong = "certainly not the answer"
    assert check(exercise_id, wrong) is False
    text = capsys.readouterr().out
    assert "not yet. " in text or "could not be checked" in text
    feedback = text.split("not yet. ", 1)[-1].split("could not be checked", 1)[-1]
    assert len(feedback.strip()) > 20, f"no feedback to go on: {text!r}"
