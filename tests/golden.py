"""Golden files for the parser: saved pages and the records they must produce.

    python tests/golden.py          # compare, print a summary of what differs
    python tests/golden.py --write  # regenerate tests/fixtures/expected/ after a deliberate change

Review every regenerated file against its page before committing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from meetings.importer.parse import parse_page  # noqa: E402


def page_files() -> list[Path]:
    return sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".txt"))


def expected_path(page: Path) -> Path:
    return EXPECTED / f"{page.stem}.json"


def _default(value: object) -> str:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def render(page: Path) -> str:
    """The parse of a page as the committed JSON text."""
    record = parse_page(page.read_bytes(), source=page.name)
    data = {"type": type(record).__name__, **dataclasses.asdict(record)}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=_default) + "\n"


def _summary(old: str, new: str) -> str:
    try:
        before, after = json.loads(old), json.loads(new)
    except ValueError:
        return "unreadable expected file"
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return "fields differ: " + ", ".join(keys)


def main(argv: list[str]) -> int:
    write = "--write" in argv
    EXPECTED.mkdir(parents=True, exist_ok=True)
    changed = 0
    for page in page_files():
        target = expected_path(page)
        new = render(page)
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        if new == old:
            continue
        changed += 1
        if write:
            target.write_text(new, encoding="utf-8")
            sys.stdout.write(f"wrote {target.relative_to(ROOT)}\n")
        else:
            reason = _summary(old, new) if old else "no expected file"
            sys.stdout.write(f"{page.name}: {reason}\n")
    sys.stdout.write(f"{len(page_files())} pages, {changed} {'written' if write else 'differ'}\n")
    return 0 if write or not changed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
