import subprocess
import sys

import pytest

import whyrec


@pytest.mark.parametrize("name", whyrec.__all__)
def test_every_public_name_resolves(name):
    assert getattr(whyrec, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        whyrec.no_such_thing  # noqa: B018


def test_import_whyrec_does_not_import_torch():
    code = "import sys, whyrec; whyrec.load_graph; whyrec.load_rules; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
