"""Start-up progress: a bar that says what it does on a terminal, nothing in a log or a pipe."""
from __future__ import annotations

from kg.progress import progress


def test_a_forced_bar_says_what_it_does(capsys) -> None:
    with progress(2, "training the ranker on 150 users", enabled=True) as bar:
        bar.update(2)
    err = capsys.readouterr().err
    assert "training the ranker on 150 users" in err and "/2 " in err


def test_off_when_stderr_is_not_a_terminal(capsys) -> None:
    with progress(3, "loading", enabled=None) as bar:  # pytest's captured stderr is no terminal
        bar.update(3)
    assert capsys.readouterr().err == ""
