"""User feedback ("helpful" / "not helpful") turned into per-user ranking weights.

Each vote moves that user's adjustment for the reason's rule and for each relation in its chain;
the adjustments are added to that user's chain scores only. Users are keyed by their full
identity (the node's IRI), so two users with the same local id in two namespaces never share
weights.

The store is one SQLite file (a table of (user, kind, name) -> value): a vote is one small
transaction, whatever the store's size (under a millisecond's work at a million users, plus the
commit's sync), and SQLite's locking keeps every vote of concurrent processes; a killed vote
leaves the store as it was. Reads validate every row they return (kind, name, a finite value
within the limit) and raise E003 naming the file on anything else: never a silent reset. The
store is written where a symlink points (the real file gets the vote), never written when the
file is read-only, and never created just by reading.

By default the store lives in the user's data folder (platformdirs), one file per graph, never
inside the installed package: ``default_feedback_path``.
"""
from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from generation.errors import GenerationError
from kg.errors import Where
from kg.files import FileProblem, check_file
from reasoning.rank import UserWeights

FORMAT = "whyrec-feedback"
VERSION = 2
RULE_STEP, RELATION_STEP, LIMIT = 0.75, 0.25, 4.0
MAX_NAME = 1_000  # characters in a user, rule or relation name
MAX_STORE = 64 << 30  # bytes: a million users with a few dozen weights each is well under 1 GB
KINDS = ("rule", "relation")
_HEADER = b"SQLite format 3\x00"
_SCHEMA = {
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
    "weights": ("CREATE TABLE weights (user TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('rule', 'relation')), "
                "name TEXT NOT NULL, value REAL NOT NULL CHECK (value BETWEEN -4.0 AND 4.0), "
                "PRIMARY KEY (user, kind, name)) STRICT, WITHOUT ROWID"),
}
_BUMP = ("INSERT INTO weights (user, kind, name, value) VALUES (?, ?, ?, max(-4.0, min(4.0, ?))) "
         "ON CONFLICT (user, kind, name) DO UPDATE SET value = max(-4.0, min(4.0, value + excluded.value))")


@dataclass(frozen=True)
class Vote:
    user: str  # the user's full identity: the node's IRI
    rule: str
    relations: tuple[str, ...]
    helpful: bool

    def __post_init__(self) -> None:
        for what, text in (("user", self.user), ("rule", self.rule), *(("relation", r) for r in self.relations)):
            if not isinstance(text, str) or not text or len(text) > MAX_NAME:
                raise GenerationError("E004", f"a vote's {what} must be a text of 1 to {MAX_NAME} characters, "
                                      f"not {str(text)[:40]!r}")
        if type(self.helpful) is not bool:
            raise GenerationError("E004", f"helpful must be True or False, not {self.helpful!r}")


class FeedbackStore:
    """Per-user weights persisted in one SQLite file (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False):
        self.path = Path(path)
        self.real = Path(os.path.realpath(self.path))  # a symlinked store: the file it points to gets the votes
        self.read_only = read_only
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._tables = False
        if self.real.exists() or self.path.is_symlink():
            with self._lock:
                self._connect()  # validates the file now: a bad store is an error at once, not at the first vote

    # -- reading ---------------------------------------------------------------------------------
    def weights(self, user: str, key: str | None = None) -> UserWeights:
        """The adjustments of ``user`` (an IRI; none if they never voted), labelled ``key`` (default the
        IRI: the ranker checks weights against its result's user key); E003 on a damaged row."""
        with self._lock:
            conn = self._connect()
            if conn is None or not self._ready(conn):
                return UserWeights(key or user)
            rows = self._query(conn, "SELECT kind, name, value FROM weights WHERE user = ? ORDER BY kind, name",
                               (user,))
        tables: dict[str, list[tuple[str, float]]] = {"rule": [], "relation": []}
        for kind, name, value in rows:
            if kind not in tables or not isinstance(name, str) or not 0 < len(name) <= MAX_NAME or \
                    type(value) is not float or not math.isfinite(value) or abs(value) > LIMIT:
                raise self._error(f"user {user[:80]!r} has a damaged weight ({str(kind)[:20]!r}, "
                                  f"{str(name)[:40]!r}, {str(value)[:40]!r})")
            tables[kind].append((name, value))
        return UserWeights(key or user, tuple(tables["rule"]), tuple(tables["relation"]))

    # -- writing ---------------------------------------------------------------------------------
    def record(self, vote: Vote) -> UserWeights:
        """Apply one vote in one transaction; returns that user's new weights."""
        if self.read_only:
            raise self._error("this feedback store was opened read-only", "open it without read_only=True to vote")
        if self.real.exists() and not _writable(self.real):
            raise self._error("the feedback file is read-only; the vote was not recorded",
                              "make the file writable, or pass another feedback path")
        sign = 1.0 if vote.helpful else -1.0
        rows = [(vote.user, "rule", vote.rule, sign * RULE_STEP)]
        rows += [(vote.user, "relation", rel, sign * RELATION_STEP) for rel in sorted(set(vote.relations))]
        with self._lock:
            conn = self._connect(create=True)
            try:
                conn.execute("BEGIN IMMEDIATE")  # the write lock first: concurrent voters queue, none is lost
                try:
                    self._create(conn)
                    conn.executemany(_BUMP, rows)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._error(f"cannot save the vote ({exc}); the store is as it was",
                                  "check that the file and its folder are writable and the disk has space") from None
        return self.weights(vote.user)

    # -- the connection --------------------------------------------------------------------------
    def _connect(self, create: bool = False) -> sqlite3.Connection | None:
        """The open connection (a new one after a fork), validating the file when first opened."""
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn = None
        exists = self.real.exists() or self.path.is_symlink()
        if not exists and not create:
            return None
        if exists:
            self._check_file()
        else:
            try:
                self.real.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._error(f"cannot create the feedback folder ({exc.strerror or exc})") from None
        mode = "ro" if self.read_only or (exists and not _writable(self.real)) else "rwc"
        try:
            conn = sqlite3.connect(f"file:{_uri_path(self.real)}?mode={mode}", uri=True, timeout=60.0,
                                   isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 60000")
            if mode == "rwc":
                # a write-ahead log: a commit appends to it, with no sync of its own (under a millisecond,
                # against ~10-30 ms of syncs with a rollback journal here). A killed process loses nothing
                # it committed; a power cut may lose the last votes, never the store.
                _write_ahead_log(conn)
            if exists:
                self._check_schema(conn)
        except sqlite3.Error as exc:
            raise self._error(f"not a readable feedback store ({exc})") from None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _check_file(self) -> None:
        try:
            check_file(self.real, MAX_STORE)
        except FileProblem as exc:
            raise self._error(f"cannot use the feedback file: {exc.message}") from None
        try:
            with open(self.real, "rb") as f:
                head = f.read(len(_HEADER))
        except OSError as exc:
            raise self._error(f"cannot read the feedback file ({exc.strerror or exc})") from None
        if head and not _HEADER.startswith(head):  # a prefix: another process is creating the store now
            hint = ("an older JSON feedback file: convert it with generation.feedback.import_json(old, new)"
                    if head.lstrip()[:1] == b"{" else "move it away or pass another feedback path")
            raise self._error("not a whyrec feedback store (an SQLite file)", hint)

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        tables = dict(self._query(conn, "SELECT name, sql FROM sqlite_master WHERE type = 'table'", ()))
        if not tables:
            return  # an empty file: the first vote creates the tables
        for name, sql in _SCHEMA.items():
            if tables.get(name) != sql:
                raise self._error(f"the table {name!r} is missing or not whyrec's")
        meta = dict(self._query(conn, "SELECT key, value FROM meta WHERE key IN ('format', 'version')", ()))
        if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
            raise self._error(f"format {meta.get('format')!r} version {meta.get('version')!r}, "
                              f"expected {FORMAT!r} version {VERSION}")

    def _ready(self, conn: sqlite3.Connection) -> bool:
        """Whether the tables exist (an empty file gets them with its first vote); checked until they do."""
        if not self._tables:
            self._tables = bool(self._query(conn, "SELECT 1 FROM sqlite_master WHERE name = 'weights'", ()))
            if self._tables:
                self._check_schema(conn)
        return self._tables

    def _create(self, conn: sqlite3.Connection) -> None:
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
            self._check_schema(conn)  # created meanwhile by another process: check what it made
            return
        for sql in _SCHEMA.values():
            conn.execute(sql)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", str(VERSION))])

    def _query(self, conn: sqlite3.Connection, sql: str, args: tuple) -> list[tuple]:
        try:
            return conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self._error(f"cannot read the feedback store ({exc})") from None

    def _error(self, message: str, hint: str | None = None) -> GenerationError:
        return GenerationError("E003", message, Where(str(self.path)), hint)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


WAL_TRIES = 200  # x 50 ms: how long a new store waits for another process creating it


def _write_ahead_log(conn: sqlite3.Connection) -> None:
    """Switch a store to WAL once (the mode stays with the file). Two processes creating one store at
    the same moment can find it locked: SQLite does not wait on a journal-mode change, so retry, bounded."""
    for _ in range(WAL_TRIES):
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.05)
    raise sqlite3.OperationalError("database is locked (WAL mode not set after 10 s)")


def _writable(path: Path) -> bool:
    """Writable for this process and not marked read-only (root may write anything: the mark still counts)."""
    try:
        return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False


def _uri_path(path: Path) -> str:
    from urllib.parse import quote
    return quote(str(path))


def default_feedback_path(graph_source: str) -> Path:
    """The user's data folder (platformdirs), one store per graph: ``.../whyrec/feedback/NAME-HASH.sqlite``.

    Never inside the installed package or beside the graph, which may be read-only or shared.
    """
    from platformdirs import user_data_path

    src = os.path.realpath(str(graph_source)) if graph_source else "graph"
    digest = hashlib.sha256(src.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    from kg.load import MAPPING_NAMES
    path = Path(src)
    readable = path.parent.name if path.name in MAPPING_NAMES else path.name  # data/demo/whyrec.yaml: "demo"
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in readable)[:60] or "graph"
    return user_data_path("whyrec", appauthor=False) / "feedback" / f"{name}-{digest}.sqlite"


def import_json(old: str | os.PathLike[str], new: str | os.PathLike[str], namespace: str = "") -> int:
    """Copy an older JSON feedback file into a store, validating every entry; returns the weights copied.

    The JSON format keyed users by their local id: ``namespace`` is put in front of each (give
    the graph's user IRI prefix, e.g. ``https://id.whyrec.dev/demo/user/``).
    """
    import json

    from kg.files import read_bytes

    where = Where(str(old))
    try:
        doc = json.loads(read_bytes(old, MAX_STORE).decode("utf-8"), parse_int=float, parse_constant=_refuse)
    except (FileProblem, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise GenerationError("E003", f"cannot read the JSON feedback file ({exc})", where) from None
    users = doc.get("users") if isinstance(doc, dict) and doc.get("format") == FORMAT else None
    if not isinstance(users, dict):
        raise GenerationError("E003", "not a whyrec JSON feedback file", where)
    rows = []
    for user, entry in users.items():
        for kind, table in (("rule", entry.get("rules", {})), ("relation", entry.get("relations", {}))) \
                if isinstance(entry, dict) else ():
            if not isinstance(table, dict):
                raise GenerationError("E003", f"user {user[:80]!r}: {kind}s must be an object", where)
            for name, value in table.items():
                if type(value) is not float or not math.isfinite(value) or abs(value) > LIMIT:
                    raise GenerationError("E003", f"user {user[:80]!r}: {name[:40]!r} is not a weight in "
                                          f"[-{LIMIT}, {LIMIT}]", where)
                rows.append((namespace + user, kind, name, value))
    store = FeedbackStore(new)
    with store._lock:
        conn = store._connect(create=True)
        conn.execute("BEGIN IMMEDIATE")
        store._create(conn)
        conn.executemany("INSERT OR REPLACE INTO weights VALUES (?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    store.close()
    return len(rows)


def _refuse(name: str) -> float:
    raise ValueError(f"{name} is not a weight")
