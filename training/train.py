"""The training loop, top to bottom: batches, loss, a dev check each epoch, early stopping, resume.

GPU with bf16 autocast when there is one, else CPU in fp32. Each epoch ends with the dev loss and
exact-match share (greedy decoding); the best model by dev loss is saved atomically to ``out``
(safetensors, config, tokenizer, train_config.json, training.json). The state needed to resume
(weights, AdamW moments as safetensors, counters as JSON -- never pickle) goes to ``out.resume``
after every epoch and is removed when training ends normally.
Seeds are fixed per epoch, so a resumed run shuffles and drops out exactly as an unbroken one.
"""
from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generation.errors import VerbalizerError
from generation.verbalizer import load_seq2seq
from kg.errors import Where
from kg.files import FileProblem, read_bytes
from training.config import TrainConfig
from training.corpus import Example
from training.model import atomic_dir, build_model, load_init, n_params, save_checkpoint
from training.tokenizer import train_tokenizer

EXACT_SAMPLE = 200  # dev examples decoded each epoch for exact match (greedy decoding is the slow part)
ESTIMATE_AFTER = 10  # batches timed before the whole run's time is estimated and printed
RESUME_KEEP = ("epochs", "patience", "max_minutes", "threads", "device")  # may change between runs


@dataclass(frozen=True)
class TrainResult:
    out: Path
    epochs_run: int
    best_epoch: int
    best_dev_loss: float
    dev_exact: float
    n_params: int
    seconds: float
    stopped: str  # "epochs" | "patience" | "time"
    history: tuple[dict[str, float], ...]


def resume_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.resume"


def train(train_set: Sequence[Example], dev_set: Sequence[Example], config: TrainConfig, out: str | Path,
          init: str | Path | None = None, resume: bool = False, progress: bool = True,
          log: Callable[[str], None] = print) -> TrainResult:
    import torch
    from tqdm import tqdm
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # one bar (ours) is enough
    out = Path(out)
    start = time.perf_counter()
    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    cuda = config.device == "cuda" or (config.device == "auto" and torch.cuda.is_available())
    device = torch.device("cuda" if cuda else "cpu")
    autocast_bf16 = cuda and config.bf16

    # 1. tokenizer and model: resumed, fine-tuned from --init, or new
    state = _read_state(out, config) if resume else None
    if state is not None:
        model, tokenizer = load_seq2seq(resume_dir(out))
    elif init:
        model, tokenizer = load_init(init)
        config = config.replace(init=str(init))
    else:
        tokenizer = train_tokenizer([e.source for e in train_set] + [e.target for e in train_set], config.vocab_size)
        model = build_model(config, tokenizer)
    model.to(device).train()
    log(f"model: {config.family if not init else 'init ' + str(init)}, {n_params(model):,} parameters, "
        f"vocabulary {len(tokenizer):,}, device {device}{' bf16' if autocast_bf16 else ''}")

    # 2. data: token ids once; batches of similar length waste less time on padding
    def encode(examples: Sequence[Example]) -> list[tuple[list[int], list[int]]]:
        src = tokenizer([e.source for e in examples], truncation=True, max_length=config.max_source_len)["input_ids"]
        tgt = tokenizer([e.target for e in examples], truncation=True, max_length=config.max_target_len)["input_ids"]
        return list(zip(src, tgt))

    train_ids, dev_ids = encode(train_set), encode(dev_set)
    pad = tokenizer.pad_token_id
    steps_per_epoch = math.ceil(len(train_ids) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs

    def lr_at(step: int) -> float:  # linear warm-up, then cosine decay to a tenth
        if step < config.warmup_steps:
            return config.lr * (step + 1) / config.warmup_steps
        progress_ = min(1.0, (step - config.warmup_steps) / max(1, total_steps - config.warmup_steps))
        return config.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress_)))

    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    epoch0, step, best, best_epoch, bad, history = 0, 0, math.inf, 0, 0, []
    if state is not None:
        _load_optimizer(optimizer, resume_dir(out), device)
        epoch0, step, best, best_epoch, bad, history = (state["epoch"], state["step"], state["best"],
                                                        state["best_epoch"], state["bad"], state["history"])
        log(f"resumed after epoch {epoch0} (best dev loss {best:.4f})")

    stopped, dev_exact = "epochs", history[-1]["dev_exact"] if history else 0.0
    for epoch in range(epoch0, config.epochs):
        # 3. one epoch; per-epoch seeds make a resumed run identical to an unbroken one
        torch.manual_seed(config.seed * 1000 + epoch)
        epoch_start = time.perf_counter()
        batches = _batches(train_ids, config.batch_size, random.Random(config.seed * 1000 + epoch))
        model.train()
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{config.epochs}", disable=not progress, leave=False)
        total = 0.0
        out_of_time = False
        for k, batch in enumerate(bar):
            if k == ESTIMATE_AFTER and epoch == epoch0:  # say up front how long the whole run will take
                per_batch = (time.perf_counter() - epoch_start) / k
                minutes = per_batch * len(batches) * (config.epochs - epoch0) / 60
                cap = f", stopping at {config.max_minutes:g} (--max-minutes)" if config.max_minutes else ""
                log(f"estimated training time: {minutes:.1f} min for {config.epochs - epoch0} epoch(s) of "
                    f"{len(batches)} batches ({per_batch * 1000:.0f} ms each on {device}){cap}")
            if k and config.max_minutes and time.perf_counter() - start > 60 * config.max_minutes:
                out_of_time = True  # honoured within one batch: the epoch ends here, is evaluated and saved
                break
            src, mask, labels = _tensors(batch, pad, device)
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=autocast_bf16):
                loss = model(input_ids=src, attention_mask=mask, labels=labels).loss
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            total += loss.item()
            bar.set_postfix(loss=f"{total / (k + 1):.3f}")
        # 4. dev loss and exact match
        dev_loss, dev_exact = _evaluate(model, tokenizer, dev_ids, dev_set, config, device, autocast_bf16)
        history.append({"epoch": epoch + 1, "train_loss": total / max(1, len(batches)), "dev_loss": dev_loss,
                        "dev_exact": dev_exact, "seconds": time.perf_counter() - start})
        log(f"epoch {epoch + 1}: train loss {history[-1]['train_loss']:.4f}  dev loss {dev_loss:.4f}  "
            f"dev exact {dev_exact:.1%}  ({history[-1]['seconds']:.0f} s)")
        # 5. keep the best model; save the resume state; stop early when dev loss stalls
        if dev_loss < best - 1e-4:
            best, best_epoch, bad = dev_loss, epoch + 1, 0
            with atomic_dir(out) as tmp:
                save_checkpoint(model, tokenizer, config, tmp)
                (tmp / "training.json").write_text(json.dumps({"history": history}, indent=2), encoding="utf-8")
        else:
            bad += 1
        _save_state(model, tokenizer, optimizer, config, out,
                    {"epoch": epoch + 1, "step": step, "best": best, "best_epoch": best_epoch, "bad": bad,
                     "history": history})
        if bad >= config.patience:
            stopped = "patience"
            break
        if out_of_time or (config.max_minutes and time.perf_counter() - start > 60 * config.max_minutes):
            stopped = "time"
            break
    if stopped != "time":  # finished: the resume state is no longer needed (and is not shipped)
        shutil.rmtree(resume_dir(out), ignore_errors=True)
    return TrainResult(out, len(history), best_epoch, best, dev_exact, n_params(model),
                       time.perf_counter() - start, stopped, tuple(history))


def _batches(ids: list[tuple[list[int], list[int]]], size: int, rnd: random.Random) -> list[list]:
    """Shuffle, sort within windows of 50 batches by length, cut, shuffle the batches."""
    order = list(range(len(ids)))
    rnd.shuffle(order)
    window = size * 50
    out = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lambda i: len(ids[i][0]) + len(ids[i][1]))
        out += [[ids[i] for i in chunk[b:b + size]] for b in range(0, len(chunk), size)]
    rnd.shuffle(out)
    return out


def _tensors(batch: list[tuple[list[int], list[int]]], pad: int, device: Any):
    import torch

    n_src, n_tgt = max(len(s) for s, _ in batch), max(len(t) for _, t in batch)
    src = torch.full((len(batch), n_src), pad, dtype=torch.long)
    labels = torch.full((len(batch), n_tgt), -100, dtype=torch.long)  # -100: ignored by the loss
    for k, (s, t) in enumerate(batch):
        src[k, :len(s)] = torch.tensor(s)
        labels[k, :len(t)] = torch.tensor(t)
    return src.to(device), (src != pad).long().to(device), labels.to(device)


def _evaluate(model, tokenizer, ids, examples, config: TrainConfig, device, bf16: bool) -> tuple[float, float]:
    import torch

    model.eval()
    losses, exact, decoded = [], 0, 0
    with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=bf16):
        for b in range(0, len(ids), 64):
            batch = ids[b:b + 64]
            src, mask, labels = _tensors(batch, tokenizer.pad_token_id, device)
            losses.append(model(input_ids=src, attention_mask=mask, labels=labels).loss.item() * len(batch))
            if b >= EXACT_SAMPLE:
                continue
            gen = model.generate(input_ids=src, attention_mask=mask, num_beams=1, do_sample=False,
                                 max_new_tokens=config.max_target_len)
            texts = tokenizer.batch_decode(gen, skip_special_tokens=True, clean_up_tokenization_spaces=False)
            exact += sum(t.strip() == e.target for t, e in zip(texts, examples[b:b + 64]))
            decoded += len(texts)
    model.train()
    return sum(losses) / max(1, len(ids)), exact / max(1, decoded)


# -- resume state: safetensors for tensors, JSON for the rest ---------------------------------

def _save_state(model, tokenizer, optimizer, config: TrainConfig, out: Path, counters: dict[str, Any]) -> None:
    from safetensors.torch import save_file

    sd = optimizer.state_dict()
    tensors = {f"{i}.{name}": t.detach().contiguous().cpu() for i, st in sd["state"].items()
               for name, t in st.items()}
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    with atomic_dir(resume_dir(out)) as tmp:
        save_checkpoint(model, tokenizer, config, tmp)
        save_file(tensors, str(tmp / "optimizer.safetensors"))
        (tmp / "trainer_state.json").write_text(json.dumps({**counters, "param_groups": groups}), encoding="utf-8")


def _read_state(out: Path, config: TrainConfig) -> dict[str, Any] | None:
    folder = resume_dir(out)
    if not (folder / "trainer_state.json").is_file():
        return None
    saved = TrainConfig.load(folder / "train_config.json")
    differ = [k for k, v in saved.to_dict().items() if k not in RESUME_KEEP and getattr(config, k) != v]
    if differ:
        raise VerbalizerError("V013", f"the saved run used other settings: {', '.join(differ)}", Where(str(folder)))
    return _state(folder)


def _state(folder: Path) -> dict[str, Any]:
    """trainer_state.json: a regular file of at most 16 MB (a few counters and the optimizer's groups)."""
    path = folder / "trainer_state.json"
    try:
        state = json.loads(read_bytes(path, 16 << 20).decode("utf-8"))
    except (FileProblem, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise VerbalizerError("V013", f"cannot read the saved run: {exc}", Where(str(path))) from None
    if not isinstance(state, dict) or not isinstance(state.get("param_groups"), list):
        raise VerbalizerError("V013", "the saved run's state is not whyrec's", Where(str(path)))
    return state


def _load_optimizer(optimizer, folder: Path, device) -> None:
    from safetensors.torch import load_file

    tensors = load_file(str(folder / "optimizer.safetensors"), device=str(device))
    state: dict[int, dict[str, Any]] = {}
    for key, t in tensors.items():
        i, name = key.split(".", 1)
        state.setdefault(int(i), {})[name] = t
    groups = _state(folder)["param_groups"]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    optimizer.load_state_dict({"state": state, "param_groups": groups})
