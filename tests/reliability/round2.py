"""The second round of hostile inputs (issue 14), one table across every class it names.

Each case gets a fresh folder, builds its input, runs whyrec on it and returns whether the result
is right (True) or wrong (False); a refusal is a project error with a code. A case passes when it
is refused with the expected code, or (expected None) runs and its check holds. Anything else is
counted against the figures: a refusal with another code, a crash (an exception without a code),
a hang (tests/reliability/round2_run.py runs the table in a child with a watchdog), or a silent
wrong answer (accepted what must be refused, or an answer whose check fails).

This module holds the file cases (bombs, kinds and sizes, checkpoints, patterns, the feedback
store); tests/reliability/round2_api.py the API, tables, wrong answers and terminal output.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tests.reliability.shop import write_shop

RULE = '- id: seen\n  says: "You looked at {item} recently."\n  path:\n    - user viewed item\n'


@dataclass(frozen=True)
class Case:
    name: str
    cls: str  # the class: regex, bomb, files, wrong, terminal, feedback, generation, api, tables, cli
    expect: str | None  # the code of the refusal, or None: runs and its check holds
    run: Callable[[Path], bool]


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@lru_cache(maxsize=1)
def _tiny() -> Path:
    import tempfile

    from tests.reliability.conftest import tiny_checkpoint

    return tiny_checkpoint(Path(tempfile.mkdtemp(prefix="whyrec-round2-")) / "tiny")


def checkpoint(folder: Path, edit: Callable[[Path], object] | None = None) -> Path:
    """A copy of a tiny T5 checkpoint, changed by ``edit``, loaded as the explainer would."""
    from generation.verbalizer import Verbalizer

    ckpt = shutil.copytree(_tiny(), folder / "ckpt")
    if edit is not None:
        edit(ckpt)
    Verbalizer.load(ckpt)
    return ckpt


def edit_json(name: str, **changes) -> Callable[[Path], None]:
    def edit(ckpt: Path) -> None:
        doc = json.loads((ckpt / name).read_text()) if (ckpt / name).exists() else {}
        (ckpt / name).write_text(json.dumps({**doc, **changes}))
    return edit


def replace_with(name: str, make: Callable[[Path], object]) -> Callable[[Path], None]:
    def edit(ckpt: Path) -> None:
        (ckpt / name).unlink()
        make(ckpt / name)
    return edit


# -- patterns ---------------------------------------------------------------------------------------

def pattern_runs(pattern: str) -> Callable[[Path], bool]:
    """Accepted, and answered on a 5,000-character near-miss label (what makes re backtrack)."""
    def run(folder: Path) -> bool:
        from kg.build import GraphBuilder
        from reasoning import find_chains, load_rules
        from reasoning.safe_regex import search

        b = GraphBuilder("long")
        b.add("<https://ex.org/user/u1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
              "<https://whyrec.dev/ns#User>")
        b.add("<https://ex.org/user/u1>", "<https://whyrec.dev/ns#viewed>", "<https://ex.org/product/p1>")
        b.add("<https://ex.org/product/p1>", "<https://schema.org/name>", '"' + "a" * 5000 + '!"')
        g = b.build()
        (folder / "r.yaml").write_text(RULE + f"  when:\n    - item matches {_quoted(pattern)}\n")
        found = bool(find_chains(g, load_rules(folder / "r.yaml", g), "u1", "p1").chains)
        return found == search(pattern, ("a" * 5000 + "!")[:2000])
    return run


def _quoted(pattern: str) -> str:
    """The pattern as a condition's quoted text (the rule language's quotes, inside a YAML scalar)."""
    import yaml
    return yaml.safe_dump(pattern, default_style="'").strip()


def pattern_refused(pattern: str) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from reasoning import load_rules
        g = _shop_graph()
        (folder / "r.yaml").write_text(RULE + f"  when:\n    - item matches {_quoted(pattern)}\n")
        load_rules(folder / "r.yaml", g)
        return True
    return run


@lru_cache(maxsize=1)
def _shop_graph():
    import tempfile

    from kg import load_graph
    return load_graph(write_shop(Path(tempfile.mkdtemp(prefix="whyrec-round2-shop-"))))


# -- decompression and sizes ------------------------------------------------------------------------

def amazon(reviews: bytes, meta: bytes | None = None) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from kg import load_graph
        (folder / "Shop_5.json.gz").write_bytes(reviews)
        if meta is not None:
            (folder / "meta_Shop.json.gz").write_bytes(meta)
        load_graph(folder)
        return True
    return run


REVIEW = b'{"reviewerID": "A1", "asin": "B1", "overall": 5.0, "unixReviewTime": 1600000000}\n'


def load_in_shop(name: str, make: Callable[[Path], object]) -> Callable[[Path], bool]:
    """The shop with one of its files replaced by ``make`` (a FIFO, a sparse giant ...)."""
    def run(folder: Path) -> bool:
        from kg import load_graph
        write_shop(folder)
        (folder / name).unlink()
        make(folder / name)
        load_graph(folder)
        return True
    return run


def load_file(name: str, make: Callable[[Path], object]) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from kg import load_graph
        make(folder / name)
        load_graph(folder / name)
        return True
    return run


def rules_file(make: Callable[[Path], object]) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from reasoning import load_rules
        make(folder / "rules.yaml")
        load_rules(folder / "rules.yaml", _shop_graph())
        return True
    return run


def scorer_file(make: Callable[[Path], object]) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from reasoning import Scorer
        make(folder / "scorer.json")
        Scorer.load(folder / "scorer.json")
        return True
    return run


def train_config(**changes) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from training.config import TrainConfig
        TrainConfig(**changes)
        return True
    return run


def hidden_old(folder: Path) -> bool:
    """A missing checkpoint with a hidden .NAME.old-* beside it: refused, named, never swapped in."""
    from generation.errors import VerbalizerError
    from generation.verbalizer import Verbalizer

    shutil.copytree(_tiny(), folder / ".verbalizer.old-4242")
    try:
        Verbalizer.load(folder / "verbalizer")
    except VerbalizerError as exc:
        if ".verbalizer.old-4242" in str(exc) and not (folder / "verbalizer").exists():
            raise
        return False
    return False


# -- the feedback store -----------------------------------------------------------------------------

def store(make: Callable[[Path], object], vote: bool = False, read_only: bool = False) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from generation.feedback import FeedbackStore, Vote
        path = folder / "f.sqlite"
        make(path)
        before = path.read_bytes() if path.is_file() else None
        s = FeedbackStore(path, read_only=read_only)
        s.weights("https://ex.org/user/u1")
        if vote:
            s.record(Vote("https://ex.org/user/u1", "r", ("brand",), True))
        return before is None or path.read_bytes() == before
    return run


def damaged_row(value: float, kind: str = "rule") -> Callable[[Path], None]:
    def make(path: Path) -> None:
        from generation.feedback import FeedbackStore, Vote
        FeedbackStore(path).record(Vote("seed", "r", (), True))
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA ignore_check_constraints = ON")
            db.execute("INSERT INTO weights VALUES (?, ?, 'x', ?)", ("https://ex.org/user/u1", kind, value))
    return make


def symlinked_store(folder: Path) -> bool:
    from generation.feedback import FeedbackStore, Vote
    real = folder / "real.sqlite"
    FeedbackStore(real).record(Vote("u", "a", (), True))
    (folder / "link.sqlite").symlink_to(real)
    FeedbackStore(folder / "link.sqlite").record(Vote("u", "b", (), True))
    return (folder / "link.sqlite").is_symlink() and len(FeedbackStore(real).weights("u").rules) == 2


def read_only_store(path: Path) -> None:
    from generation.feedback import FeedbackStore, Vote
    FeedbackStore(path).record(Vote("u", "a", (), True))
    os.chmod(path, 0o444)


BOMB_LINES = gzip.compress(b"\n" * (64 << 20))  # 64 MB of blank lines in ~64 KB

CASES: tuple[Case, ...] = (
    *(Case(f"pattern runs linearly: {p}", "regex", None, pattern_runs(p)) for p in (
        "(a+)+$", "(a|a)*b", r"(\w+\s?)+$", "(.*a){20}", "(x+x+)+y", ".*.*.*x", "(a?){25}a{25}", "(a{0,9}){8}b",
        "(a|b)*a(a|b){20}", "(?:a?){60}$", r"(\d+\.?)+x", "((((a*)*)*)*)b")),
    *(Case(f"pattern refused: {p[:30]}", "regex", "R032", pattern_refused(p)) for p in (
        r"(a)\1", "(?=a)b", "(?<!a)b", "(a?){300}", "x" * 201, "a{1001}")),
    Case("amazon reviews: gzip of 64 MB blank lines", "bomb", "K006", amazon(BOMB_LINES)),
    Case("amazon reviews: gzip of zeros", "bomb", "K006", amazon(gzip.compress(b"\0" * (40 << 20)))),
    Case("amazon meta: gzip of blank lines", "bomb", "K006", amazon(gzip.compress(REVIEW), BOMB_LINES)),
    Case("amazon reviews: truncated gzip", "bomb", "K030", amazon(gzip.compress(REVIEW * 500)[:-40])),
    Case("n-triples: gzip of blank lines", "bomb", "K006", load_file("g.nt.gz", lambda p: p.write_bytes(BOMB_LINES))),
    Case("table: sparse 3 GB csv", "files", "K006", load_in_shop("products.csv", lambda p: sparse(p, 3 << 30))),
    Case("table: 21M blank lines", "bomb", "K006", load_in_shop("products.csv", lambda p: p.write_bytes(
        b"product_id,name,brand,category,price,ingredients\n" + b"\n" * 21_000_000))),
    Case("table: a FIFO", "files", "K001", load_in_shop("products.csv", fifo)),
    Case("mapping: a FIFO", "files", "K001", load_file("whyrec.yaml", fifo)),
    Case("mapping: sparse 10 GB", "files", "K006", load_file("whyrec.yaml", lambda p: sparse(p, 10 << 30))),
    Case("rdf: a FIFO", "files", "K001", load_file("g.ttl", fifo)),
    Case("rdf: /dev/zero", "files", "K001", load_file("g.nt", lambda p: p.symlink_to("/dev/zero"))),
    Case("rdf: sparse 9 GB", "files", "K006", load_file("g.nt", lambda p: sparse(p, 9 << 30))),
    Case("rules: a FIFO", "files", "R063", rules_file(fifo)),
    Case("rules: sparse 10 GB", "files", "R064", rules_file(lambda p: sparse(p, 10 << 30))),
    Case("scorer: a FIFO", "files", "R100", scorer_file(fifo)),
    Case("checkpoint: config.json a FIFO", "files", "V005", lambda f: bool(checkpoint(f, replace_with("config.json", fifo)))),
    Case("checkpoint: weights are /dev/zero", "files", "V004", lambda f: bool(checkpoint(
        f, replace_with("model.safetensors", lambda p: p.symlink_to("/dev/zero"))))),
    Case("checkpoint: sparse 100 GB weights", "files", "V004", lambda f: bool(checkpoint(
        f, replace_with("model.safetensors", lambda p: sparse(p, 100 << 30))))),
    Case("checkpoint: tokenizer.json a FIFO", "files", "V005", lambda f: bool(checkpoint(f, replace_with("tokenizer.json", fifo)))),
    Case("checkpoint: a billion layers", "files", "V005", lambda f: bool(checkpoint(f, edit_json("config.json", num_layers=10**9)))),
    Case("checkpoint: d_model as text", "files", "V005", lambda f: bool(checkpoint(f, edit_json("config.json", d_model="128")))),
    Case("checkpoint: vocabulary of 10^12", "files", "V005", lambda f: bool(checkpoint(f, edit_json("config.json", vocab_size=10**12)))),
    Case("checkpoint: config sizes beyond its weights", "files", "V005", lambda f: bool(checkpoint(
        f, edit_json("config.json", d_model=4096, d_ff=16384, num_layers=24, num_decoder_layers=24)))),
    Case("train config: a billion layers", "files", "V012", train_config(layers=10**9)),
    Case("generation: return_dict_in_generate", "generation", "V005", lambda f: bool(checkpoint(
        f, edit_json("generation_config.json", return_dict_in_generate=True)))),
    Case("generation: beam groups that do not divide the beams", "generation", "V005", lambda f: bool(checkpoint(
        f, edit_json("generation_config.json", num_beam_groups=3, diversity_penalty=0.5)))),
    Case("generation: forced token id outside the vocabulary", "generation", "V005", lambda f: bool(checkpoint(
        f, edit_json("generation_config.json", forced_bos_token_id=10**9)))),
    Case("generation: ordinary settings load", "generation", None, lambda f: bool(checkpoint(
        f, edit_json("generation_config.json", num_beams=2, length_penalty=1.2)))),
    Case("checkpoint: hidden .NAME.old-* beside a missing folder", "files", "V001", hidden_old),
    Case("feedback: a FIFO", "feedback", "E003", store(fifo)),
    Case("feedback: /dev/zero", "feedback", "E003", store(lambda p: p.symlink_to("/dev/zero"))),
    Case("feedback: value 1e308 in a row", "feedback", "E003", store(damaged_row(1e308))),
    Case("feedback: unknown kind in a row", "feedback", "E003", store(damaged_row(1.0, "bogus"))),
    Case("feedback: the older JSON file", "feedback", "E003", store(lambda p: p.write_text(
        '{"format": "whyrec-feedback", "users": {"u": {"rules": {"r": 1' + "0" * 400 + '}}}}'))),
    Case("feedback: not a database", "feedback", "E003", store(lambda p: p.write_bytes(b"SQLite format 3\0" + b"\xff" * 500))),
    Case("feedback: read-only file, vote", "feedback", "E003", store(read_only_store, vote=True)),
    Case("feedback: opened read-only, vote", "feedback", "E003", store(lambda p: None, vote=True, read_only=True)),
    Case("feedback: symlinked store written through", "feedback", None, symlinked_store),
)
