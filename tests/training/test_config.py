import json

import pytest

from generation.errors import VerbalizerError
from training.config import TINY, TrainConfig


def test_json_round_trip(tmp_path):
    path = tmp_path / "train_config.json"
    path.write_text(TINY.to_json())
    assert TrainConfig.load(path) == TINY
    assert json.loads(path.read_text())["d_model"] == TINY.d_model


def test_int_accepted_for_float_field():
    assert TrainConfig.from_dict({"lr": 1}).lr == 1.0


@pytest.mark.parametrize("data, needle", [
    ({"d_modle": 64}, "d_modle"),
    ({"epochs": "3"}, "epochs must be int"),
    ({"bf16": 1}, "bf16 must be bool"),
    ({"family": "gpt2"}, "family must be one of"),
    ({"d_model": 100, "heads": 3}, "multiple of heads"),
    ({"batch_size": 0}, "batch_size must be at least 1"),
])
def test_bad_values_are_refused_with_the_key(data, needle):
    with pytest.raises(VerbalizerError) as err:
        TrainConfig.from_dict(data)
    assert err.value.code == "V012" and needle in str(err.value)


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{\n  "epochs": 3,\n  oops\n}')
    with pytest.raises(VerbalizerError) as err:
        TrainConfig.load(path)
    assert f"{path}:3:" in str(err.value)


def test_frozen():
    with pytest.raises(AttributeError):
        TINY.epochs = 5  # type: ignore[misc]
