import pytest

from kg.yamlfile import parse_yaml


def kinds(text):
    return [p.kind for p in parse_yaml(text)[1]]


def test_scalars_stay_strings_with_positions():
    tree, problems = parse_yaml("a: no\nb:\n  - 1\n  - yes\n")
    assert not problems
    assert tree.get("a").value == "no" and (tree.get("a").line, tree.get("a").col) == (1, 4)
    assert [y.value for y in tree.get("b").value] == ["1", "yes"]
    assert tree.get("a").key_pos == (1, 1)


@pytest.mark.parametrize("text,kind", [
    ("a: !!python/object/apply:os.system ['touch /tmp/x']\n", "tag"),
    ("a: &x [1]\nb: *x\n", "alias"),
    ("a: 1\na: 2\n", "duplicate"),
    ("a: [1\n", "syntax"),
    ("[" * 100 + "]" * 100, "depth"),
])
def test_hostile_yaml_is_reported_not_executed(text, kind, tmp_path):
    assert kind in kinds(text)
    assert parse_yaml(text)[0] is None


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a ['x','x']\n" + "".join(f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}]\n" for k in range(20))
    assert "alias" in kinds(bomb)


def test_invalid_utf8_is_reported():
    assert kinds(b"a: \xff\xfe\n") == ["encoding"]
