import pytest

from kg import terms as T
from kg.errors import KGError


def test_literal_escapes_and_round_trips():
    text = 'a "quote" \\ back\nnew\rret\ttab\x01ctl é'
    term = T.literal(text)
    assert "\n" not in term and "\r" not in term and "\x01" not in term
    assert T.literal_parts(term) == (text, None, None)


def test_literal_canonical_forms():
    assert T.literal("x", T.XSD_STRING) == '"x"'
    assert T.literal("x", lang="EN-gb") == '"x"@en-gb'
    assert T.literal("5", T.XSD + "integer") == f'"5"^^<{T.XSD}integer>'


def test_lone_surrogate_is_refused():
    with pytest.raises(KGError) as e:
        T.literal("bad \udc80")
    assert e.value.code == "K008"


def test_huge_integer_is_a_number_not_a_crash():
    assert T.literal_number(T.literal("9" * 10000, T.XSD + "integer")) == float("inf")
    assert T.literal_number(T.literal("abc", T.XSD + "integer")) is None
    assert T.literal_number('"12.5"') == 12.5
    assert T.literal_number('"12"@en') is None


@pytest.mark.parametrize("bad", ["no scheme", "http://a b", "http://a<b", 'http://a"b', "http://a\\b", ""])
def test_iri_refuses_invalid(bad):
    with pytest.raises(KGError) as e:
        T.iri(bad)
    assert e.value.code == "K051"


def test_mint_makes_valid_iris_from_any_id_and_local_name_reverses_it():
    for local in ['id with spaces', 'quote"d', "slash/and#hash", "ünï", "100%"]:
        term = T.mint("https://ex.org/", "product", local)
        T.iri(T.iri_value(term))  # valid
        assert T.local_name(T.iri_value(term)) == local
        assert T.short_key(T.iri_value(term)) == f"product/{local}"
