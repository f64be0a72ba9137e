"""A byte-level BPE tokenizer trained on the corpus in about a second, slot tokens kept whole.

Byte-level: any text (any shop's relation words, any script) encodes without <unk>, and
decoding gives back the exact spacing. Slot tokens (<ITEM>, <P1> ...) are added as whole,
*non-special* tokens so that ``skip_special_tokens`` drops padding and </s> but keeps them.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generation.linearize import SLOT, slot_tokens

PAD, EOS, UNK, BOS = "<pad>", "</s>", "<unk>", "<s>"
SPECIAL = [PAD, EOS, UNK, BOS]  # ids 0..3; T5 starts decoding from <pad> (0)


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> Any:
    """A transformers PreTrainedTokenizerFast; ``save_pretrained(dir)`` writes tokenizer.json."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=UNK))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    slots = slot_tokens()
    trainer = trainers.BpeTrainer(vocab_size=max(vocab_size, 300), special_tokens=SPECIAL, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    # Slot tokens are cut out of the training text so that no merges are spent on their pieces,
    # then added whole (after training: the trainer would renumber tokens added before it).
    tok.train_from_iterator((SLOT.sub(" ", t) for t in texts), trainer=trainer)
    tok.add_tokens(_whole(slots))
    tok.post_processor = processors.TemplateProcessing(single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}",
                                                       special_tokens=[(EOS, tok.token_to_id(EOS))])
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token=PAD, eos_token=EOS, unk_token=UNK, bos_token=BOS,
                                   clean_up_tokenization_spaces=False, model_max_length=512)


def _whole(slots: list[str]) -> list[Any]:
    """Each slot alone and with its leading space: " <P1>" is one token, which shortens sequences."""
    from tokenizers import AddedToken

    return [AddedToken(text, single_word=False, lstrip=False, rstrip=False, normalized=False)
            for s in slots for text in (s, " " + s)]


def add_slot_tokens(tokenizer: Any) -> int:
    """Teach an existing tokenizer (from --init) the slot tokens; returns how many were new."""
    vocab = tokenizer.get_vocab()
    new = [t for t in _whole(slot_tokens()) if t.content not in vocab]
    return tokenizer.add_tokens(new) if new else 0
