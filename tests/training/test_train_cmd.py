"""``whyrec train`` and ``whyrec evaluate`` end to end on the tiny shop with a tiny config."""
import json

from tests.generation.shop import RULES, shop
from training.config import TINY
from whyrec.cli import main


def test_train_then_evaluate(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    graph, _ = shop()
    graph.save(tmp_path / "shop.nt")
    (tmp_path / "tiny.json").write_text(TINY.replace(epochs=1).to_json())
    out = tmp_path / "model"
    args = ["--graph", str(tmp_path / "shop.nt"), "--rules", str(RULES)]
    assert main(["train", *args, "--out", str(out), "--config", str(tmp_path / "tiny.json"), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["overall"]["verified_after_fallback"] == 1.0
    assert 0.0 <= metrics["overall"]["model_verified"] <= 1.0
    assert metrics["train"]["epochs_run"] == 1 and metrics["corpus"]["verifier"] == "generation.verify"
    assert "whyrec train" in (out / "README.md").read_text()
    printed = capsys.readouterr().out
    assert "model_verif" in printed and "latency" in printed

    assert main(["evaluate", "--model", str(out), *args, "--json", str(tmp_path / "m.json")]) == 0
    again = json.loads((tmp_path / "m.json").read_text())
    assert again["overall"]["n"] == metrics["overall"]["n"]  # the same held-out examples, rebuilt


def test_refused_checkpoint_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "config.json").write_text('{"model_type": "t5", "auto_map": {"x": "y"}}')
    code = main(["evaluate", "--model", str(tmp_path), "--graph", "x", "--rules", "y"])
    assert code == 2 and "V003" in capsys.readouterr().err
