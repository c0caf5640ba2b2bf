"""Write frontend/js/lib/palette_data.js from gradscape/palette.py (the one palette table).

    .venv/bin/python scripts/make_palette_js.py

tests/test_palette.py fails when the committed file differs from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "frontend/js/lib/palette_data.js"


def main() -> int:
    from gradscape.palette import to_js

    OUT.write_text(to_js(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
