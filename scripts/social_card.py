"""Render the link-preview card, ``docs/_static/social-card.png``, from the logo and site name.

Link previews (Open Graph, ``twitter:card``) show PNG or JPEG, not SVG, and expect 1200 x 630
pixels. The card is drawn as an HTML page from ``docs/_static/logo.svg`` and the site's name and
strapline, and Debian's Chromium takes the screenshot. Run it again when the logo or name
changes, and commit the PNG: ``python -m scripts.social_card``.
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

from scripts.harness import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "docs" / "_static"
WIDTH, HEIGHT = 1200, 630
NAME = "Stem Cell Reference"
STRAPLINE = "Open, evidence-based information on stem cell therapy"
DETAIL = "What is standard care, licensed, in clinical trials or unproven, with every source cited"
# What the card shows, for people who cannot see it (og:image:alt in conf.py).
ALT = f"The {NAME} logo beside the words “{NAME}: {STRAPLINE}”"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
  html, body {{ margin: 0; width: {width}px; height: {height}px; overflow: hidden; }}
  body {{ box-sizing: border-box; display: flex; align-items: center; gap: 64px;
         padding: 0 88px 24px; background: #f4fbf9; font-family: "DejaVu Sans", sans-serif;
         border-bottom: 24px solid #0b6b5c; }}
  svg {{ flex: none; width: 272px; height: 272px; }}
  h1 {{ margin: 0 0 28px; color: #0b6b5c; font-size: 72px; line-height: 1.05; }}
  p {{ margin: 0 0 16px; color: #1d2b29; font-size: 34px; line-height: 1.3; }}
  p + p {{ color: #3d4f4c; font-size: 27px; }}
</style></head><body>
{logo}
<div><h1>{name}</h1><p>{strapline}</p><p>{detail}</p></div>
</body></html>
"""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def render(out: Path) -> None:
    logo = (STATIC / "logo.svg").read_text("utf-8")
    page = PAGE.format(
        width=WIDTH, height=HEIGHT, logo=logo, name=escape(NAME),
        strapline=escape(STRAPLINE), detail=escape(DETAIL),
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "card.html"
        html.write_text(page, "utf-8")
        shot = Path(tmp) / "card.png"
        subprocess.run(
            [CHROMIUM, *CHROMIUM_ARGS, "--headless", "--hide-scrollbars",
             f"--user-data-dir={tmp}/profile", f"--window-size={WIDTH},{HEIGHT}",
             f"--screenshot={shot}", html.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
        data = shot.read_bytes()
    if png_size(data) != (WIDTH, HEIGHT):
        raise SystemExit(f"Chromium drew {png_size(data)}, not {WIDTH}x{HEIGHT}")
    out.write_bytes(data)
    print(f"{out}: {WIDTH}x{HEIGHT}, {len(data) // 1024} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=STATIC / "social-card.png")
    render(parser.parse_args(argv).out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
