#!/usr/bin/env python3
"""Build anmin/core/static/anmin/vendor/lucide-sprite-<version>.svg from the npm package lucide-static.

    python3 tools/vendor_icons.py            # npm pack lucide-static@VERSION into a temp dir, build the sprite

Only the icons Anmin names (anmin/core/icons.py: ICONS values and EXTRA) go into the sprite, so the
file stays small; the licence is copied beside it. Run again after adding an icon name.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.62.0"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "anmin/core/static/anmin/vendor"


def wanted() -> set[str]:
    tree = ast.parse((ROOT / "anmin/core/icons.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("ICONS", "EXTRA"):
            value = ast.literal_eval(node.value)
            names |= set(value.values() if isinstance(value, dict) else value)
    return names


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"lucide-static@{VERSION}", "--silent"], cwd=tmp, check=True)
        with tarfile.open(Path(tmp) / f"lucide-static-{VERSION}.tgz") as tar:
            tar.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        symbols = []
        for name in sorted(wanted()):
            svg = (pkg / "icons" / f"{name}.svg").read_text(encoding="utf-8")
            body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1).strip()
            body = re.sub(r"\s+", " ", body)
            symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
        sprite = (f"<!-- lucide-static v{VERSION} (ISC, see lucide-LICENSE.txt): the icons Anmin uses -->\n"
                  '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-width="2" '
                  'stroke-linecap="round" stroke-linejoin="round">\n' + "\n".join(symbols) + "\n</svg>\n")
        for old in OUT.glob("lucide-sprite-*.svg"):
            old.unlink()
        (OUT / f"lucide-sprite-{VERSION}.svg").write_text(sprite, encoding="utf-8")
        (OUT / "lucide-LICENSE.txt").write_text((pkg / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{len(symbols)} icons → {OUT}/lucide-sprite-{VERSION}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
