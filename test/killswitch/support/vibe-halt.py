#!/usr/bin/env python3
"""What Vibe-Trading's kill switch does to a runtime root, for the kill-switch interop tests.

Written from reading HKUDS/Vibe-Trading agent/src/live/halt.py (its behaviour, not its code):
  - the global sentinel is <root>/live/HALT, a broker's is <root>/live/<broker>/HALT;
  - tripping writes a JSON object {tripped_at, by, reason} (tripped_at: ISO 8601 with the UTC offset) to a
    temporary file beside the sentinel and renames it into place;
  - clearing deletes the sentinel (missing is not an error);
  - halted means the sentinel exists (the global one halts every broker);
  - reading returns the parsed body, {} when it cannot be read or parsed, nothing when there is no sentinel.

Usage: vibe-halt.py --root HOME (trip BY REASON | clear | halted | read) [--broker NAME]
Prints JSON; exit 0.
"""

import argparse
import json
import os
from datetime import datetime, timezone
from pathlib import Path


def sentinel(root: Path, broker):
    live = root / "live"
    return (live / broker / "HALT") if broker else (live / "HALT")


def trip(path: Path, by: str, reason: str) -> None:
    body = {"tripped_at": datetime.now(timezone.utc).isoformat(), "by": by, "reason": reason}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(body), encoding="utf-8")
    os.replace(tmp, path)


def clear(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def read(path: Path):
    if not path.exists():
        return None
    try:
        raw = path.read_text(encoding="utf-8")
        parsed = json.loads(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--broker", default=None)
    ap.add_argument("action", choices=["trip", "clear", "halted", "read"])
    ap.add_argument("rest", nargs="*")
    a = ap.parse_args()
    root = Path(a.root)
    path = sentinel(root, a.broker)
    if a.action == "trip":
        by, reason = (a.rest + ["cli", "tripped by Vibe-Trading"])[:2]
        trip(path, by, reason)
        print(json.dumps({"tripped": str(path)}))
    elif a.action == "clear":
        print(json.dumps({"cleared": clear(path)}))
    elif a.action == "halted":
        halted = sentinel(root, None).exists() or (a.broker is not None and path.exists())
        print(json.dumps({"halted": halted}))
    else:
        body = read(path)
        parsed_at = None
        if isinstance(body, dict) and isinstance(body.get("tripped_at"), str):
            # Vibe-Trading writes and reads tripped_at as ISO 8601: it must parse, with its offset.
            when = datetime.fromisoformat(body["tripped_at"].replace("Z", "+00:00"))
            parsed_at = when.astimezone(timezone.utc).isoformat() if when.tzinfo else None
        print(json.dumps({"body": body, "tripped_at_utc": parsed_at}))


if __name__ == "__main__":
    main()
