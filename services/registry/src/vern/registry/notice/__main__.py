"""`python -m vern.registry.notice render FILE | docs [--check]`: the privacy notice on disk."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from vern.kit.orgprofile import ProfileError, load_profile
from vern.registry.notice import docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vern.registry.notice")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render the notice of one org profile")
    render.add_argument("file", metavar="FILE")
    render.add_argument("--out", metavar="PATH", help="default: standard output")
    render.add_argument("--format", choices=["html", "md", "json"], help="default: from --out")
    render.add_argument("--app-url", default=docs.DOCS_APP_URL, help="%(default)s")
    written = commands.add_parser("docs", help="write docs/personvernerklaering-*.html and .md")
    written.add_argument("--check", action="store_true", help="exit 1 if docs/ is out of date")
    args = parser.parse_args(argv)

    if args.command == "docs":
        return _docs(check=args.check)
    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out else "html")
    if fmt not in ("html", "md", "json"):
        parser.error(f"cannot tell the format from {args.out}; give --format")
    try:
        profile = load_profile(args.file)
    except (ProfileError, OSError) as error:
        print(f"{parser.prog} render: {error}", file=sys.stderr)
        return 1
    text = docs.render(profile, fmt, app_url=args.app_url)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _docs(*, check: bool) -> int:
    if check:
        stale = docs.stale()
        for path in stale:
            print(f"out of date: {path.relative_to(docs.ROOT)}", file=sys.stderr)
        if stale:
            print("run `make notices` to render them again", file=sys.stderr)
        return 1 if stale else 0
    for path, text in docs.documents().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(docs.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
