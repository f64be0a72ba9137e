from generation.linearize import slot_tokens
from training.tokenizer import add_slot_tokens, train_tokenizer

TEXTS = ["style 1 | why <ITEM> | same brand : you purchased <P1> ; <P1> brand <B1> ; <ITEM> brand <B1>",
         "You bought <P1>, and <ITEM> is also by <B1>.", "<ITEM> has a <FIN1> finish, like <P12>."] * 20


def test_slot_tokens_stay_whole_and_text_round_trips():
    tok = train_tokenizer(TEXTS, 300)
    for slot in slot_tokens():
        ids = tok(f"x {slot}.", add_special_tokens=False)["input_ids"]
        assert slot in "".join(tok.convert_ids_to_tokens(ids)) and len(ids) <= 3
    for text in TEXTS[:3] + ["Crème brûlée <ITEM> costs <V1> — 5★"]:
        ids = tok(text)["input_ids"]
        assert ids[-1] == tok.eos_token_id
        assert tok.decode(ids, skip_special_tokens=True) == text
    assert tok.pad_token_id == 0


def test_saved_tokenizer_loads_offline_with_the_same_ids(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    tok = train_tokenizer(TEXTS, 300)
    tok.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path, local_files_only=True)
    assert again(TEXTS[1])["input_ids"] == tok(TEXTS[1])["input_ids"]


def test_add_slot_tokens_to_a_foreign_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.WordLevel({"[UNK]": 0, "hello": 1}, unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]")
    added = add_slot_tokens(tok)
    assert added == 2 * len(slot_tokens())
    assert add_slot_tokens(tok) == 0
    assert tok.convert_ids_to_tokens(tok("hello <P3>")["input_ids"])[-1].strip() == "<P3>"
