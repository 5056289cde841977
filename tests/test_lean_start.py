"""``import procflow`` loads only what a call needs (names are resolved on first use)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import procflow


def test_import_loads_no_heavy_module() -> None:
    code = (
        "import sys, procflow\n"
        "heavy = ('numpy', 'pyarrow', 'openpyxl', 'matplotlib', 'holidays', 'pydantic', 'rich')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves_once() -> None:
    names = set(procflow.__all__)
    assert names == set(procflow._WHERE)
    for name in sorted(names):
        assert getattr(procflow, name) is getattr(procflow, name)
    assert set(dir(procflow)) >= names


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        procflow.no_such_name  # noqa: B018


def test_functions_named_like_their_modules_stay_functions() -> None:
    import procflow.alerts
    import procflow.audit

    assert callable(procflow.audit)
    assert callable(procflow.alerts)
    assert sys.modules["procflow.audit"].audit is procflow.audit
