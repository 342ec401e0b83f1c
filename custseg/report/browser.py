"""Headless Chromium for the report's browser test and screenshot: Debian's `chromium`
package driven by Playwright (Playwright's own browser download is not used).

Playwright is a dev dependency (the `dev` extra); nothing in `custseg report` needs it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """The system Chromium, installed first with apt-get when missing."""
    subprocess.run(["bash", str(PROJECT_DIR / "scripts" / "ensure_chromium.sh")], check=True)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
