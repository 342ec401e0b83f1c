"""Take a full-page screenshot of a written report with headless Chromium (the README's
docs/report.png comes from the 5,000-customer sample: `bash scripts/main.sh`, then this).

    python scripts/screenshot_report.py report/report.html docs/report.png [--width 1366]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1366, help="viewport width (px)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from custseg.report.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto(args.html.resolve().as_uri())
        page.wait_for_function(
            """() => [...document.querySelectorAll('.chart')]
                .filter(div => div.offsetParent !== null)
                .every(div => div.querySelector('svg'))""",
            timeout=30_000,
        )
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png), full_page=True)
        browser.close()
    print(f"screenshot: {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
