"""Errors of the ``kg`` package: one exception type, codes in one catalog.

Every message names where the problem is (file, line, column when known), what
was expected, and how to fix it, in the form ``file:line:col: CODE message; hint``.
"""
from __future__ import annotations

from dataclasses import dataclass

# code -> (short title, default hint). Messages live here so that codes stay stable.
CATALOG: dict[str, tuple[str, str]] = {
    "K001": ("path not found", "check the path; load_graph takes a file or a folder"),
    "K002": ("unknown input kind", "use .ttl, .nt, .jsonld, .rdf/.xml, a mapping .yaml, an Amazon folder, or a folder with whyrec.yaml"),
    "K003": ("RDF syntax error", "fix the syntax at this position; the whole file was rejected"),
    "K004": ("refused to fetch", "inline the JSON-LD context in the file; whyrec never reads the network or other files while parsing"),
    "K005": ("refused DTD or entity", "remove the <!DOCTYPE>/<!ENTITY> declarations; entities can expand without bound"),
    "K006": ("input too large", "split the file or shorten the offending line/field"),
    "K007": ("datasets are not graphs", "give a triples format (.nt, .ttl) without named graphs; for N-Quads/TriG, drop the graph names first (kg.load.rdf.load_rdf(path, allow_named_graphs=True) merges them)"),
    "K008": ("invalid text encoding", "save the file as UTF-8"),
    "K009": ("duplicate key", "remove the repeated key; its meaning is ambiguous"),
    "K010": ("nesting too deep", "flatten the structure"),
    "K011": ("bad compressed file", "re-compress the file with gzip, or give the uncompressed file"),
    "K020": ("bad mapping file", "see README 'Bring your own catalog' for the mapping format"),
    "K021": ("unknown mapping key", "check the spelling against the mapping format"),
    "K022": ("missing column", "add the column to the table or fix the mapping"),
    "K023": ("bad value", "fix the value in the table"),
    "K024": ("ragged row", "every row needs as many fields as the header"),
    "K025": ("bad role", "a mapping's top-level 'items:' and 'users:' name node types of the catalog, 'audience:' a plural noun"),
    "K030": ("bad Amazon data", "give the reviews file (*_5.json.gz or .json) and its meta_*.json.gz"),
    "K031": ("Amazon line is not JSON", "each line must be one JSON object; fix or remove this line"),
    "K032": ("bad Amazon field", "each review needs reviewerID, asin and overall (1-5); fix the line"),
    "K040": ("unknown node", "use a source id (e.g. a reviewerID, ASIN, CSV id) or a full IRI"),
    "K041": ("ambiguous node id", "use the full IRI, or the 'type/id' form"),
    "K043": ("not of the role asked for", "items and users are the node types the mapping names with 'items:' and 'users:'"),
    "K042": ("unknown relation", "run `whyrec rules vocab --graph G` to list relations"),
    "K050": ("cannot save", "check the folder exists and is writable; the previous file is untouched"),
    "K051": ("invalid IRI", "IRIs may not contain spaces, quotes, <, >, {, }, |, ^, ` or backslashes"),
}


@dataclass(frozen=True)
class Where:
    """A position in an input file; any part may be unknown."""

    file: str | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class Error(Exception):
    """The base of every error whyrec's public API raises (``whyrec.Error``).

    Every error carries a stable ``code`` (from its package's catalog), a ``message`` that says
    what went wrong, a ``hint`` that says how to fix it, and ``where`` (file, line, column, any
    of them unknown). ``str()`` reads ``file:line:col: CODE message; hint`` (the place is left
    out when nothing is known of it); :meth:`to_dict` gives the same fields as JSON-ready data.

    Subclasses set ``catalog`` (code -> (title, default hint)). A subclass may also claim codes
    (``codes = ("E001",)``): raising the package's error with such a code then raises that
    subclass, so a caller can ``except whyrec.UnknownUser`` wherever the code is raised.
    """

    catalog: dict[str, tuple[str, str]] = {}
    codes: tuple[str, ...] = ()  # codes a named subclass stands for
    _named: dict[str, type] = {}  # code -> named subclass, filled by __init_subclass__

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "_named" not in cls.__dict__:
            cls._named = {}
        for code in cls.__dict__.get("codes", ()):
            for base in cls.__mro__[1:]:  # every base dispatches this code to cls
                if isinstance(base, type) and issubclass(base, Error):
                    base._named.setdefault(code, cls)

    def __new__(cls, code: str = "", *args, **kwargs):
        named = cls._named.get(code) if isinstance(code, str) else None
        if named is not None and issubclass(named, cls):
            cls = named
        return super().__new__(cls, code, *args)

    def __init__(self, code: str, message: str, where: Where | None = None, hint: str | None = None):
        if code not in self.catalog:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.message = message
        self.where = where or Where()
        self.hint = hint if hint is not None else self.catalog[code][1]
        super().__init__(str(self))

    @property
    def title(self) -> str:
        """The catalog's short name of the code ("unknown user")."""
        entry = self.catalog.get(self.code)
        return entry[0] if isinstance(entry, tuple) else ""

    def _place(self) -> str:
        w = self.where
        return "" if w.file is None and w.line is None else f"{w}: "

    def __str__(self) -> str:
        return f"{self._place()}{self.code} {self.message}; {self.hint}"

    def to_dict(self) -> dict[str, object]:
        """``{"code", "title", "message", "hint", "where": {"file", "line", "col"} | None}``."""
        w = self.where
        where = None if w.file is None and w.line is None else {"file": w.file, "line": w.line, "col": w.col}
        return {"code": self.code, "title": self.title, "message": self.message, "hint": self.hint,
                "where": where}

    def __reduce__(self):  # keep picklable for multiprocessing users
        return (type(self), (self.code, self.message, self.where, self.hint))


# The name the packages' error types were first built on.
CodedError = Error


class KGError(CodedError):
    """The one error type of ``kg``: bad input, unknown node, failed save."""

    catalog = CATALOG


class InputError(KGError):
    """A file could not be loaded: missing, malformed, refused or too large (nothing was loaded)."""

    codes = ("K001", "K002", "K003", "K004", "K005", "K006", "K007", "K008", "K009", "K010", "K011",
             "K020", "K021", "K022", "K023", "K024", "K030", "K031", "K032", "K051")


class UnknownNode(KGError, LookupError):
    """An id or IRI that names no node of the graph, or several (K040, K041)."""

    codes = ("K040", "K041")
