"""A generic, pickle-free codec for a graph's state: a JSON tree plus flat arrays.

:func:`encode` walks any value built from None, bool, int, float, str, numpy arrays, lists,
tuples, sets, dicts and frozen dataclasses (or enums) defined in the ``kg`` package, and
returns a JSON-able tree in which every array (and every long list of strings or ints) is
replaced by a reference into a list of flat numpy arrays. :func:`decode` rebuilds the value
from the tree and those arrays (which may be memory-mapped, read-only views). A field added
to a dataclass travels without a change here; a value of another type raises
:class:`Unencodable`, and the caller decides whether that may be skipped.

Classes are found by module and name and must be dataclasses or enums of the ``kg`` package:
nothing in a cache file can name other code to run.
"""
from __future__ import annotations

import bisect
import dataclasses
import enum
import importlib
import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

BIG = 16  # lists at least this long go to arrays, not JSON
DTYPES = frozenset("?bBhHiIlLqQefdg") | {"u1", "i1"}
_SEPARATORS = ("\n", "\x00", "\x1f", "\x1e")


class Unencodable(TypeError):
    """A value of a type the codec does not write (an rdflib graph, a lock, a function)."""


class Arrays:
    """The flat arrays a tree refers to, by position."""

    def __init__(self, items: list[np.ndarray] | None = None):
        self.items: list[np.ndarray] = items if items is not None else []

    def add(self, a: np.ndarray) -> int:
        self.items.append(a)
        return len(self.items) - 1

    def __getitem__(self, k: int) -> np.ndarray:
        if not isinstance(k, int) or not 0 <= k < len(self.items):
            raise ValueError(f"array reference {k!r} out of range")
        return self.items[k]


# -- strings ---------------------------------------------------------------------------------

def _put_strings(strs: list[str] | tuple[str, ...], out: Arrays) -> dict[str, Any]:
    """A list of strings as one UTF-8 blob: joined by a separator none of them holds, else with offsets."""
    for sep in _SEPARATORS:
        joined = sep.join(strs)
        if joined.count(sep) == len(strs) - 1:  # no string holds the separator: split() gives them back
            return {"n": len(strs), "sep": sep, "blob": out.add(_utf8(joined))}
    blobs = [_utf8(s) for s in strs]
    ends = np.cumsum([len(b) for b in blobs], dtype=np.int64)
    return {"n": len(strs), "ends": out.add(ends), "blob": out.add(np.frombuffer(b"".join(blobs), dtype=np.uint8))}


def _utf8(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _get_strings(spec: dict[str, Any], arrays: Arrays) -> list[str]:
    n = _int(spec.get("n"))
    blob = arrays[spec["blob"]]
    if "sep" in spec:
        if n == 0:
            return []
        out = blob.tobytes().decode("utf-8", "surrogatepass").split(str(spec["sep"]))
    else:
        ends = arrays[spec["ends"]].tolist()
        raw = blob.tobytes()
        out = [raw[a:b].decode("utf-8", "surrogatepass") for a, b in zip([0] + ends[:-1], ends)]
    if len(out) != n:
        raise ValueError(f"string table holds {len(out)} strings, not {n}")
    return out


# -- the id table: a read-only mapping str -> list[int] over arrays ----------------------------

class KeyTable(Mapping):
    """``dict[str, list[int]]`` stored as sorted UTF-8 keys and CSR lists: nothing built on load.

    A lookup is a binary search over the keys (about 20 comparisons for a million of them).
    """

    def __init__(self, blob: np.ndarray, ends: np.ndarray, ptr: np.ndarray, ids: np.ndarray):
        if len(ends) + 1 != len(ptr) or (len(ends) and int(ends[-1]) != len(blob)) or int(ptr[-1]) != len(ids):
            raise ValueError("inconsistent key table")
        self._raw = blob.data.cast("B") if blob.flags.c_contiguous else memoryview(blob.tobytes())
        self._ends, self._ptr, self._ids = ends, ptr, ids

    @classmethod
    def build(cls, table: Mapping[str, list[int]]) -> "KeyTable":
        keys = sorted(table, key=lambda s: s.encode("utf-8", "surrogatepass"))
        raw = [k.encode("utf-8", "surrogatepass") for k in keys]
        ends = np.cumsum([len(b) for b in raw], dtype=np.int64)
        lens = [len(table[k]) for k in keys]
        ptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(lens, out=ptr[1:])
        ids = np.fromiter((n for k in keys for n in table[k]), dtype=np.int64, count=int(ptr[-1]))
        return cls(np.frombuffer(b"".join(raw), dtype=np.uint8), ends, ptr, ids)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return np.frombuffer(self._raw, dtype=np.uint8), self._ends, self._ptr, self._ids

    def _key(self, k: int) -> bytes:
        ends = self._ends
        return bytes(self._raw[(ends.item(k - 1) if k else 0):ends.item(k)])

    def _find(self, key: str) -> int:
        if not isinstance(key, str):
            return -1
        b = key.encode("utf-8", "surrogatepass")
        k = bisect.bisect_left(_Keys(self), b)
        return k if k < len(self._ends) and self._key(k) == b else -1

    def get(self, key: str, default: Any = None) -> Any:
        k = self._find(key)
        return default if k < 0 else self._ids[self._ptr.item(k):self._ptr.item(k + 1)].tolist()

    def __getitem__(self, key: str) -> list[int]:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return (self._key(k).decode("utf-8", "surrogatepass") for k in range(len(self._ends)))

    def __len__(self) -> int:
        return len(self._ends)


class _Keys:
    """The table's keys as a sequence of bytes, for bisect."""

    __slots__ = ("t",)

    def __init__(self, t: KeyTable):
        self.t = t

    def __len__(self) -> int:
        return len(self.t._ends)

    def __getitem__(self, k: int) -> bytes:
        return self.t._key(k)


# -- the tree --------------------------------------------------------------------------------

def encode(value: Any, out: Arrays) -> Any:
    """A JSON-able tree for ``value``; arrays and long lists go to ``out``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return {"$e": _class_name(type(value)), "v": encode(value.value, out)}
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else {"$f": repr(v)}
    if isinstance(value, np.ndarray):
        return {"$a": out.add(_plain(value))}
    if isinstance(value, KeyTable):
        return {"$K": [out.add(a) for a in value.arrays()]}
    if isinstance(value, (list, tuple)):
        return _encode_seq(value, out)
    if isinstance(value, (set, frozenset)):
        return {"$set": _encode_seq(sorted(value, key=repr), out), "frozen": isinstance(value, frozenset)}
    if isinstance(value, dict):
        if len(value) > BIG and all(type(k) is str for k in value) and \
                all(type(v) is list and all(type(n) is int for n in v) for v in value.values()):
            return encode(KeyTable.build(value), out)  # an id table: looked up in place, never rebuilt
        if all(type(k) is str for k in value) and len(value) <= BIG:
            return {"$d": {k: encode(v, out) for k, v in value.items()}}
        return {"$m": [_encode_seq(list(value), out), _encode_seq(list(value.values()), out)]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name), out) for f in dataclasses.fields(value) if f.init}
        return {"$c": _class_name(type(value)), "f": fields}
    raise Unencodable(f"cannot cache a {type(value).__module__}.{type(value).__qualname__}")


def _encode_seq(seq: list | tuple, out: Arrays) -> Any:
    tag = "$t" if isinstance(seq, tuple) else "$l"
    if len(seq) >= BIG:
        kinds = {type(x) for x in seq}
        if kinds == {str}:
            return {tag: {"$S": _put_strings(seq, out)}}
        if kinds == {int}:
            return {tag: {"$I": out.add(np.asarray(seq, dtype=np.int64))}}
        if kinds == {tuple} and all(type(n) is int for x in seq for n in x):  # ragged ints (extra types)
            lens = np.fromiter(map(len, seq), dtype=np.int64, count=len(seq))
            flat = np.fromiter((n for x in seq for n in x), dtype=np.int64, count=int(lens.sum()))
            return {tag: {"$R": [out.add(lens), out.add(flat)]}}
    return {tag: [encode(x, out) for x in seq]}


def _plain(a: np.ndarray) -> np.ndarray:
    if a.dtype.char not in DTYPES or a.dtype.hasobject:
        raise Unencodable(f"cannot cache an array of {a.dtype}")
    return np.ascontiguousarray(a)


def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _find_class(name: Any) -> type:
    """A dataclass or enum of the kg package, by 'module:qualname'; anything else is refused."""
    if not isinstance(name, str) or ":" not in name:
        raise ValueError(f"bad class reference {name!r}")
    module, _, qual = name.partition(":")
    if not (module == "kg" or module.startswith("kg.")) or not all(p.isidentifier() for p in qual.split(".")):
        raise ValueError(f"class {name!r} is not one of the kg package's")
    obj: Any = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type) or not (dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum)):
        raise ValueError(f"{name!r} is not a dataclass or an enum")
    return obj


def decode(tree: Any, arrays: Arrays) -> Any:
    """The value :func:`encode` wrote; ValueError (or KeyError, TypeError) on anything malformed."""
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        raise ValueError("a bare list in a cache tree")
    if not isinstance(tree, dict) or len(tree) < 1:
        raise ValueError(f"unexpected node {type(tree).__name__} in a cache tree")
    if "$a" in tree:
        return arrays[tree["$a"]]
    if "$f" in tree:
        return float(str(tree["$f"]))
    if "$K" in tree:
        return KeyTable(*(arrays[k] for k in tree["$K"]))
    if "$l" in tree or "$t" in tree:
        items = _decode_seq(tree.get("$l", tree.get("$t")), arrays)
        return items if "$l" in tree else tuple(items)
    if "$set" in tree:
        items = decode(tree["$set"], arrays)
        return frozenset(items) if tree.get("frozen") else set(items)
    if "$d" in tree:
        return {str(k): decode(v, arrays) for k, v in dict(tree["$d"]).items()}
    if "$m" in tree:
        keys, values = (decode(x, arrays) for x in tree["$m"])
        if len(keys) != len(values):
            raise ValueError("a mapping with more keys than values")
        return dict(zip(keys, values))
    if "$c" in tree:
        cls = _find_class(tree["$c"])
        if not dataclasses.is_dataclass(cls):
            raise ValueError(f"{tree['$c']!r} is not a dataclass")
        fields = {k: decode(v, arrays) for k, v in dict(tree["f"]).items()}
        return cls(**fields)
    if "$e" in tree:
        return _find_class(tree["$e"])(decode(tree["v"], arrays))
    raise ValueError(f"unknown cache tree node {sorted(tree)[:3]}")


def _decode_seq(body: Any, arrays: Arrays) -> list:
    if isinstance(body, list):
        return [decode(x, arrays) for x in body]
    if not isinstance(body, dict):
        raise ValueError("bad sequence in a cache tree")
    if "$S" in body:
        return _get_strings(body["$S"], arrays)
    if "$I" in body:
        return arrays[body["$I"]].tolist()
    if "$R" in body:
        lens, flat = (arrays[k] for k in body["$R"])
        if int(lens.sum()) != len(flat) or (len(lens) and int(lens.min()) < 0):
            raise ValueError("bad ragged list")
        ends = np.cumsum(lens).tolist()
        values = flat.tolist()
        return [tuple(values[e - n:e]) for n, e in zip(lens.tolist(), ends)]
    raise ValueError("unknown sequence kind in a cache tree")


def _int(v: Any) -> int:
    if type(v) is not int or v < 0:
        raise ValueError(f"bad count {v!r}")
    return v
