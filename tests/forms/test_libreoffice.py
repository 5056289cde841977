"""Every form's DOCX opens in LibreOffice and prints to PDF; the docs' screenshots come from here.

``PROCFLOW_REGEN=1`` also renders page 1 of each PDF to ``docs/images/forms/NAME.png``
(needs ``pdftoppm``, from poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from procflow import WorkCalendar
from procflow.forms.docx_render import write_docx
from tests.forms.samples import SAMPLES, SCREENSHOTS, sample

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice not installed"
)


def test_docx_prints_to_pdf(cal: WorkCalendar, tmp_path: Path) -> None:
    files = []
    for name, _, _ in SAMPLES:
        path = tmp_path / f"{name}.docx"
        write_docx(sample(name, cal), path)
        files.append(str(path))
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *files],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name, _, _ in SAMPLES:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-", name
    if os.environ.get("PROCFLOW_REGEN") == "1" and shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, _, _ in SAMPLES:
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(tmp_path / f"{name}.pdf"),
                    str(SCREENSHOTS / name),
                ],
                check=True,
                timeout=60,
            )
