"""A Chinese verbalizer: its tokenizer keeps slots whole and decodes without inserted spaces, a tiny
model trains a few steps and writes no space between two characters, and a checkpoint is refused
(V014) where another language is asked."""
import json
import random
import re

import pytest

from generation.decoding import CharPieces, allowed_chars
from generation.errors import VerbalizerError
from generation.verbalizer import STYLES, Verbalizer, checkpoint_lang, default_model_dir, styled
from training.config import TINY, TrainConfig
from training.corpus import Example
from training.tokenizer import train_tokenizer

CJK_SPACE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]\s+[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
# (relation as in model input, Chinese sentence): slot-level, as the corpus holds them
SAYS = [("brand", "你购买过{p}，{i}也是{b}的产品。"), ("category", "{i}和你买过的{p}同属{b}。"),
        ("finish", "{i}有{b}的质感，和{p}一样。"), ("also bought", "买了{p}的顾客也买了{i}。")]


def _examples(n: int, seed: int) -> list[Example]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        rel, says = rnd.choice(SAYS)
        p, b, style = f"<P{rnd.randint(1, 3)}>", f"<B{rnd.randint(1, 2)}>", rnd.randrange(STYLES)
        source = f"why <ITEM> | same {rel} : you purchased {p} ; {p} {rel} {b} ; <ITEM> {rel} {b}"
        out.append(Example(styled(source, style), says.format(p=p, b=b, i="<ITEM>"), rel, "synthetic", style, ()))
    return out


def test_tokenizer_round_trips_chinese_and_keeps_slots_whole():
    texts = [e.source for e in _examples(60, 0)] + [e.target for e in _examples(60, 1)]
    tok = train_tokenizer(texts, 600)
    for text in ["你购买过<P1>，<ITEM>也是<B1>的产品。", "新字龘<P2>和<ITEM>", "<ITEM>有<FIN1>的质感"]:
        ids = tok(text)["input_ids"]
        assert tok.decode(ids, skip_special_tokens=True) == text  # byte-level: nothing inserted, nothing lost
        pieces = tok.convert_ids_to_tokens(ids)
        assert all(s in pieces for s in re.findall(r"<[A-Z]+\d*>", text))


def test_char_pieces_allow_every_tokenization_of_allowed_text_and_nothing_else():
    tok = train_tokenizer([e.target for e in _examples(80, 2)], 500)
    pieces = CharPieces(tok)
    chars = frozenset("你购买过也是的产品，。")
    allowed = pieces.ids(chars)
    for text in ["你购买过", "也是的产品。", "你买过，也是"]:
        assert set(tok(text, add_special_tokens=False)["input_ids"]) <= allowed
    for i in allowed:  # a piece alone may be part of a character; whole characters it holds are allowed
        assert set(tok.decode([i]).replace("\ufffd", "")) <= chars
    assert not set(tok("质感", add_special_tokens=False)["input_ids"]) <= allowed
    assert " " not in allowed_chars("why <ITEM> | x : you purchased <P1>", "zh", pieces.chars)


@pytest.fixture(scope="module")
def zh_model(tmp_path_factory):
    import torch

    from training.train import train

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("zh") / "verbalizer-zh"
    config = TINY.replace(lang="zh", epochs=2, vocab_size=500)
    train(_examples(96, 3), _examples(16, 4), config, out, progress=False, log=lambda s: None)
    return out


def test_a_tiny_chinese_model_writes_no_space_between_characters(zh_model):
    v = Verbalizer.load(zh_model, lang="zh")
    assert v.lang == "zh" and checkpoint_lang(zh_model) == "zh"
    assert json.loads((zh_model / "train_config.json").read_text())["lang"] == "zh"
    dev = _examples(6, 5)
    beams = v.generate([e.source.split(" | ", 1)[1] for e in dev], n=4, max_new_tokens=24,
                       styles=[e.style for e in dev])
    said = [t for b in beams for t in b]
    assert len(said) == 24 and any(said)
    assert not any(re.search(r"\s", t) for t in said)  # the mask keeps every space out, so none between CJK
    assert not any(CJK_SPACE.search(t) for t in said)


def test_a_checkpoint_of_another_language_is_refused(zh_model):
    with pytest.raises(VerbalizerError) as err:
        Verbalizer.load(zh_model, lang="en")
    assert err.value.code == "V014" and "'zh'" in str(err.value) and "--lang en" in str(err.value)
    assert Verbalizer.load(zh_model).lang == "zh"  # nothing asked: the checkpoint says which


def test_old_configs_are_english_and_model_dirs_are_per_language(tmp_path):
    saved = {k: v for k, v in TINY.to_dict().items() if k != "lang"}
    assert TrainConfig.from_dict(saved).lang == "en"
    (tmp_path / "train_config.json").write_text(json.dumps(saved))
    assert checkpoint_lang(tmp_path) == "en" and checkpoint_lang(tmp_path / "nothing") is None
    assert default_model_dir().name == "verbalizer" and default_model_dir("zh").name == "verbalizer-zh"
    with pytest.raises(VerbalizerError) as err:
        TrainConfig(lang="xx")
    assert err.value.code == "V012" and "lang must be one of" in str(err.value)


def test_the_command_line_offers_the_languages_of_the_config():
    from training.config import LANGS
    from whyrec.commands import train_cmd

    assert train_cmd.LANGS == LANGS


def test_allowed_characters_follow_the_source():
    pytest.importorskip("generation.lang")
    plain = allowed_chars("style 0 | why <ITEM> | same brand : 你 purchased <P1> ; <P1> brand <B1>", "zh", frozenset())
    assert {"出", "自", "买", "过", "，", "。"} <= plain  # brand's and purchased's phrasings, punctuation
    assert " " not in plain and "b" not in plain and "导" not in plain
    mixed = allowed_chars("why <ITEM> | line : <P1> 的product line是 <E1>", "zh", frozenset())
    assert {" ", "p", "的", "是"} <= mixed  # a shop phrase with a Latin word: its letters and its space
