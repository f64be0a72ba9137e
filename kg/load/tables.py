"""Tables (CSV or JSON lines) plus a YAML mapping file: how a shop brings its own catalog.

The mapping names, for each table, what a row is: a node (``nodes:``, one row per
product, brand or user, with columns that become relations or literals) or a fact
(``facts:``, one row per purchase, rating or preference, with optional values on the
fact such as a score or a date). See the README, "Bring your own catalog".
"""
from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from kg import terms as T
from kg.build import GraphBuilder
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.vocab import ANNOTATIONS, DEFAULT_CLASSES, DEFAULT_RELATIONS, LABEL_PREDICATES, RDF, RDF_TYPE, REIFY, SCHEMA
from kg.load.table_links import Held, RowLinks, mapping_roles, restriction
from kg.load.table_labels import label_columns, relation_words
from kg.load.table_rows import Row, read_rows
from kg.load.table_values import DATATYPES, MAX_DIGITS, _LANG, _iri, _literal, literal_term  # noqa: F401 - re-exported
from kg.files import FileProblem, read_bytes
from kg.roles import Roles
from kg.yamlfile import MAX_BYTES as MAX_YAML, Y, parse_yaml

TOP_KEYS = {"namespace", "relations", "nodes", "facts", "items", "users", "audience"}
NODE_KEYS = {"file", "type", "id", "label", "columns", "delimiter"}
COLUMN_KEYS = {"relation", "type", "datatype", "split", "lang", "unit", "currency", "targets", "outside"}
FACT_KEYS = {"file", "subject", "relation", "object", "values", "delimiter"}
END_KEYS = {"column", "type", "type_column", "targets", "outside"}
VALUE_KEYS = {"column", "datatype", "relation", "unit", "currency"}
RELATION_KEYS = {"iri", "label", "inverse", "phrases"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")  # ISO 4217: EUR, USD, GBP
_UNIT = re.compile(r"^[^\s\x00-\x1f](?:[^\x00-\x1f]{0,30}[^\s\x00-\x1f])?$")  # "ml", "stars", "fl oz"
# what a table may not state as a relation: the graph reads types, names and fact values from these
RESERVED = frozenset({RDF_TYPE, *LABEL_PREDICATES, *REIFY, *ANNOTATIONS})


def load_tables(mapping_path: str | Path, roles: Roles | None = None) -> KnowledgeGraph:
    """Load every table the mapping names; any problem raises KGError and yields nothing.
    ``roles`` (item and user types, audience) override the mapping's ``items:``/``users:``/``audience:``."""
    path = Path(mapping_path)
    tree = _read_mapping(path)
    m = _Mapping(path, tree)
    builder = GraphBuilder(str(path))
    builder.roles = (roles or Roles()).over(mapping_roles(m, tree))
    m.describe_relations(builder)
    for spec in m.list("nodes"):
        m.load_nodes(spec, builder)
    m.links.flush(m, builder)  # links restricted to rows: every node table has been read
    for spec in m.list("facts"):
        m.load_facts(spec, builder)
    return builder.build()


def _read_mapping(path: Path) -> Y:
    try:
        data = read_bytes(path, MAX_YAML)
    except FileProblem as exc:
        raise KGError("K006" if exc.kind == "size" else "K001", f"cannot read the mapping: {exc.message}",
                      Where(str(path)), "give a regular YAML file (not a pipe or a device)") from None
    tree, problems = parse_yaml(data)
    if problems:
        p = problems[0]
        raise KGError("K020", p.message, Where(str(path), p.line, p.col))
    if tree is None or not isinstance(tree.value, dict):
        raise KGError("K020", "the mapping must be a YAML mapping with 'nodes:' and/or 'facts:'", Where(str(path), 1, 1))
    return tree


class _Mapping:
    def __init__(self, path: Path, tree: Y):
        self.path, self.tree = path, tree
        self._check_keys(tree, TOP_KEYS)
        ns = tree.get("namespace")
        self.ns = ns.text if ns is not None and ns.text else f"https://id.whyrec.dev/{path.parent.name or 'shop'}/"
        if not self.ns.endswith(("/", "#")):
            self.ns += "/"
        _iri(self.ns, self.where(ns))
        self._kinds: set[str] = set()  # type names whose minted node IRIs were checked
        self.links = RowLinks()  # row ids per type, and links held until the rows are known
        self._type_case = {c.name.casefold(): c.name for c in DEFAULT_CLASSES}  # one spelling per type
        self.relations = {r.name: r for r in DEFAULT_RELATIONS}
        self.custom: dict[str, str] = {}
        rel_tree = tree.get("relations")
        if rel_tree is not None:
            for name, spec in self._dict(rel_tree).items():
                self._check_keys(spec, RELATION_KEYS)
                iri = spec.get("iri")
                self.custom[name] = iri.text if iri is not None and iri.text else f"{self.ns}vocab#{name}"
                _iri(self.custom[name], self.where(iri if iri is not None else spec))

    # -- helpers ------------------------------------------------------------------------
    def where(self, node: Y | None, key: bool = False) -> Where:
        if node is None:
            return Where(str(self.path))
        if key and node.key_pos:
            return Where(str(self.path), *node.key_pos)
        return Where(str(self.path), node.line, node.col)

    def fail(self, node: Y | None, message: str, code: str = "K020", hint: str | None = None) -> KGError:
        return KGError(code, message, self.where(node), hint)

    def _dict(self, node: Y) -> dict[str, Y]:
        if not isinstance(node.value, dict):
            raise self.fail(node, "expected a mapping (key: value lines)")
        return node.value

    def list(self, key: str) -> list[Y]:
        node = self.tree.get(key)
        if node is None:
            return []
        if not isinstance(node.value, list):
            raise self.fail(node, f"'{key}' must be a list of tables (lines starting with '- ')")
        return node.value

    def _check_keys(self, node: Y, allowed: set[str]) -> None:
        for k, v in self._dict(node).items():
            if k not in allowed:
                close = difflib.get_close_matches(k, sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"
                raise self.fail(v, f"unknown key {k!r}", "K021", hint) if not v.key_pos else \
                    KGError("K021", f"unknown key {k!r}", self.where(v, key=True), hint)

    def text(self, node: Y, key: str, required: bool = True) -> str | None:
        v = node.get(key)
        if v is None or v.value is None:
            if required:
                raise self.fail(node, f"missing '{key}'")
            return None
        if not isinstance(v.value, str):
            raise self.fail(v, f"'{key}' must be a single word or text")
        return v.value

    def class_iri(self, name: str, where: Where | None = None) -> str:
        seen = self._type_case.setdefault(name.casefold(), name)
        if seen != name:  # `type: user` would make a class of its own, with no users in it
            raise KGError("K020", f"type {name!r} differs from {seen!r} only in case", where,
                          f"write {seen!r}: type names are matched exactly")
        for c in DEFAULT_CLASSES:
            if c.name == name:
                return c.iri
        return name if "://" in name else f"{self.ns}vocab#{name}"

    def relation_iri(self, name: str, where: Where | None = None) -> str:
        iri = self._relation_iri(name)
        if iri in RESERVED or (":" in name and "://" not in name):
            raise KGError("K023" if where is not None and where.line and where.file != str(self.path) else "K020",
                          f"relation {name[:60]!r} cannot be a fact's relation", where,
                          "types come from 'type:', names from 'label:', values on facts from 'values:'; a relation "
                          "is a word (brand, purchased) or a full IRI")
        return iri

    def _relation_iri(self, name: str) -> str:
        if name in self.custom:
            return self.custom[name]
        if name in self.relations:
            return self.relations[name].iri
        return name if "://" in name else f"{self.ns}vocab#{name}"

    def node(self, type_name: str, local: str) -> str:
        kind = type_name.lower()
        local = unicodedata.normalize("NFC", local)  # "café" typed two ways is one id, not two look-alike nodes
        if kind not in self._kinds:  # the id part is percent-encoded; the type part must be checked
            _iri(f"{self.ns}{kind}/x", hint="type names become part of node IRIs: use letters and digits")
            self._kinds.add(kind)
        return T.mint(self.ns, kind, local)

    def describe_relations(self, b: GraphBuilder) -> None:
        rel_tree = self.tree.get("relations")
        if rel_tree is None:
            return
        for name, spec in self._dict(rel_tree).items():
            words = relation_words(self, spec)
            label, inverse, phrases = words.pop("", ("", "", ()))
            b.describe_relation(self.custom[name], label or name.replace("_", " "), inverse or None, phrases)
            for lang, (label, inverse, phrases) in words.items():
                b.describe_relation(self.custom[name], label or None, inverse or None, phrases, lang=lang)

    def _unit(self, b: GraphBuilder, spec: Y, rel: str) -> None:
        """``unit: ml`` or ``currency: EUR`` on a value column: said with every value of ``rel``."""
        unit, currency = self.text(spec, "unit", False), self.text(spec, "currency", False)
        if unit is None and currency is None:
            return
        if unit is not None and currency is not None:
            raise self.fail(spec, "a column has a unit or a currency, not both", "K020")
        if spec.get("type") is not None:
            raise self.fail(spec.get("unit") or spec.get("currency"), "a unit or currency needs a value column",
                            hint="remove 'type:' (values have units; nodes do not) or the unit")
        if currency is not None and not _CURRENCY.match(currency):
            raise self.fail(spec.get("currency"), f"{currency[:20]!r} is not an ISO 4217 currency code",
                            hint="write three capital letters: EUR, USD, GBP")
        if unit is not None and not _UNIT.match(unit):
            raise self.fail(spec.get("unit"), f"{unit[:40]!r} is not a unit", hint="write a short unit: ml, g, stars")
        iri = self.relation_iri(rel)
        _iri(iri, self.where(spec))
        b.describe_relation(iri, unit=unit, currency=currency)

    # -- tables ------------------------------------------------------------------------
    def load_nodes(self, spec: Y, b: GraphBuilder) -> None:
        self._check_keys(spec, NODE_KEYS)
        type_name = self.text(spec, "type")
        id_col, label_cols = self.text(spec, "id"), label_columns(self, spec)
        columns = self._dict(spec.get("columns")) if spec.get("columns") is not None else {}
        for col, col_spec in columns.items():
            self._check_keys(col_spec, COLUMN_KEYS)
            self._unit(b, col_spec, self.text(col_spec, "relation", False) or col)
        file = self._file(spec)
        cls = _iri(self.class_iri(type_name, self.where(spec.get("type"))), self.where(spec.get("type")))
        self.links.table(type_name)
        need = [id_col] + [col for col, _ in label_cols] + list(columns)
        first: dict[str, int] = {}
        for row in read_rows(file, need, self.text(spec, "delimiter", False)):
            local = _one(row, id_col, file)
            if not local:
                raise KGError("K023", f"empty id in column {id_col!r}", Where(str(file), row.line), "every row needs an id")
            same = first.setdefault(unicodedata.normalize("NFC", local), row.line)
            if same != row.line:  # a second row would add a second name and price to the same node
                raise KGError("K023", f"id {local[:60]!r} repeats the row at line {same}", Where(str(file), row.line),
                              "one row per node: merge the rows, or give several values in one cell with 'split:'")
            subject = self.node(type_name, local)
            self.links.row(type_name, local)
            b.add(subject, f"<{RDF_TYPE}>", cls)
            for label_col, lang in label_cols:
                if name := _one(row, label_col, file):
                    b.add(subject, f"<{SCHEMA}name>", T.literal(name, lang=lang))
            for col, col_spec in columns.items():
                self._cell(b, subject, row, col, col_spec, file)

    def load_facts(self, spec: Y, b: GraphBuilder) -> None:
        self._check_keys(spec, FACT_KEYS)
        file = self._file(spec)
        ends = {}
        for end in ("subject", "object"):
            node = spec.get(end)
            if node is None:
                raise self.fail(spec, f"missing '{end}'", hint=f"{end}: {{column: user_id, type: User}}")
            self._check_keys(node, END_KEYS)
            type_name = self.text(node, "type", False)
            ends[end] = (self.text(node, "column"), type_name, self.text(node, "type_column", False), node,
                         restriction(self, node, type_name))
        rel_node = spec.get("relation")
        rel_column = None
        if rel_node is not None and isinstance(rel_node.value, dict):
            rel_column = self.text(rel_node, "column")
            fixed = None
        else:
            fixed = self.text(spec, "relation")
        values = self._dict(spec.get("values")) if spec.get("values") is not None else {}
        for name, v in values.items():
            self._check_keys(v, VALUE_KEYS)
            _iri(self.relation_iri(self.text(v, "relation", False) or name, self.where(v, key=True)),
                 self.where(v, key=True))
            self._unit(b, v, self.text(v, "relation", False) or name)
        need = [e[0] for e in ends.values()] + [e[2] for e in ends.values() if e[2]]
        need += ([rel_column] if rel_column else []) + [self.text(v, "column") for v in values.values()]
        for row in read_rows(file, need, self.text(spec, "delimiter", False)):
            s = self._typed_end(b, row, ends["subject"], file)
            o = self._typed_end(b, row, ends["object"], file)
            if s is None or o is None:
                continue
            rel_name = fixed or _one(row, rel_column, file)
            if not rel_name:
                continue
            p = _iri(self.relation_iri(rel_name, Where(str(file), row.line)), Where(str(file), row.line))
            b.add(s, p, o)
            if values:
                stmt = f"<{self.ns}fact/{hashlib.sha1(f'{s} {p} {o}'.encode()).hexdigest()[:20]}>"
                extra = [(self.relation_iri(self.text(v, "relation", False) or name), self.text(v, "datatype", False),
                          _one(row, self.text(v, "column"), file)) for name, v in values.items()]
                extra = [(r, d, val) for r, d, val in extra if val]
                if extra:
                    b.add(stmt, f"<{RDF}subject>", s)
                    b.add(stmt, f"<{RDF}predicate>", p)
                    b.add(stmt, f"<{RDF}object>", o)
                    for rel_iri, dtype, val in extra:
                        b.add(stmt, f"<{rel_iri}>", _literal(val, dtype, Where(str(file), row.line)))

    def _end(self, row: Row, end: tuple, file: Path) -> str | None:
        column, type_name, type_column, node, _ = end
        local = _one(row, column, file)
        if not local:
            return None
        if type_column:
            type_name = _one(row, type_column, file) or type_name
        if not type_name:
            raise self.fail(node, "a fact end needs 'type' or 'type_column'")
        return self.node(type_name, local)

    def _typed_end(self, b: GraphBuilder, row: Row, end: tuple, file: Path) -> str | None:
        """A fact end's node, with its class asserted so users() and items() find it."""
        if end[4] is not None:  # targets: rows
            local = _one(row, end[0], file)
            term = self.links.target(self, end[4], local, end[3]) if local else None
            if term is not None:
                self.type_node(b, term, self.links.type_of(end[4], local), end[3])
            return term
        term = self._end(row, end, file)
        if term is not None:
            type_name = (_one(row, end[2], file) if end[2] else "") or end[1]
            b.add(term, f"<{RDF_TYPE}>", _iri(self.class_iri(type_name, Where(str(file), row.line)),
                                              Where(str(file), row.line)))
        return term

    def type_node(self, b: GraphBuilder, term: str, type_name: str, spec: Y) -> None:
        b.add(term, f"<{RDF_TYPE}>", _iri(self.class_iri(type_name, self.where(spec)), self.where(spec)))

    def _file(self, spec: Y) -> Path:
        name = self.text(spec, "file")
        try:
            file = (self.path.parent / name).resolve()
            found = file.is_file()
        except (OSError, ValueError) as exc:  # a name too long, a NUL in it, a symlink loop
            raise self.fail(spec.get("file"), f"cannot use table {name[:80]!r}: {exc}", "K001") from None
        if not file.is_relative_to(self.path.parent.resolve()):  # a mapping may not read other files
            raise self.fail(spec.get("file"), f"table {name!r} is outside the mapping's folder", "K020",
                            "put the table in the mapping's folder (or below it) and name it relative to it")
        if not found:
            raise self.fail(spec.get("file"), f"table {name!r} not found next to the mapping", "K001")
        return file

    def _cell(self, b: GraphBuilder, subject: str, row: Row, col: str, spec: Y, file: Path) -> None:
        raw = row.cells.get(col)
        rel = self.text(spec, "relation", False) or col
        split = self.text(spec, "split", False)
        values = raw if isinstance(raw, list) else ([v.strip() for v in raw.split(split)] if split and raw else [raw])
        p = _iri(self.relation_iri(rel, self.where(spec)), self.where(spec))
        type_name = self.text(spec, "type", False)
        dtype = self.text(spec, "datatype", False)
        lang = self.text(spec, "lang", False)
        if lang and not _LANG.match(lang):  # written into the saved file as is
            raise self.fail(spec.get("lang"), f"{lang!r} is not a language tag", hint="write a tag such as en or en-GB")
        restricted = restriction(self, spec, type_name)
        for value in values:
            if value is None or value == "":
                continue
            if restricted is not None:  # added once every node table is read (RowLinks.flush)
                self.links.held.append(Held(subject, p, restricted, value, spec))
            elif type_name:
                o = self.node(type_name, value)
                self.type_node(b, o, type_name, spec)
                b.add(subject, p, o)
            else:
                b.add(subject, p, _literal(value, dtype, Where(str(file), row.line), lang))


def _one(row: Row, col: str | None, file: Path) -> str:
    if col is None:
        return ""
    value = row.cells.get(col)
    if isinstance(value, list):
        raise KGError("K023", f"column {col!r} holds a list where one value is expected", Where(str(file), row.line))
    return (value or "").strip()
