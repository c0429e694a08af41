#!/usr/bin/env python3
"""Governance Atlas: build, check, preview and extend the knowledge base (`python build.py --help`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.pipeline import BuildOptions, build
from atlas.problems import format_text, sorted_problems

HERE = Path(__file__).resolve().parent


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=HERE, help="folder of the knowledge base (its content/ and data/); default: this repository")


def _report(problems, stream=sys.stderr) -> None:
    for problem in sorted_problems(problems):
        print(format_text(problem), file=stream)


def command_build(args: argparse.Namespace) -> int:
    """Build the site into --out."""
    out = args.out if args.out is not None else args.root / "site"
    result = build(BuildOptions(root=args.root, out=out, base_url=args.base_url, search=not args.no_search))
    _report(result.problems)
    if not result.ok:
        errors = sum(1 for p in result.problems if p.is_error)
        print(f"build failed: {errors} error(s); {out} was left as it was", file=sys.stderr)
        return 1
    print(f"built {result.pages} files into {out} ({result.written} written, {result.removed} removed"
          f"{', search indexed' if result.indexed else ''})")
    return 0


def command_check(args: argparse.Namespace) -> int:
    """Validate and render everything in memory; write nothing."""
    result = build(BuildOptions(root=args.root, out=None, base_url=args.base_url, search=False))
    _report(result.problems)
    errors = sum(1 for p in result.problems if p.is_error)
    warnings = len(result.problems) - errors
    print(f"checked {result.pages} files: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    p_build = sub.add_parser("build", help="build the site (the default command)", description="Build the static site.")
    _add_common(p_build)
    p_build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ in the root)")
    p_build.add_argument("--base-url", default=None, help="address the site is served at, e.g. https://example.github.io/atlas/")
    p_build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p_build.set_defaults(func=command_build)

    p_check = sub.add_parser("check", help="validate everything and write nothing", description="Validate and render in memory.")
    _add_common(p_check)
    p_check.add_argument("--base-url", default=None, help=argparse.SUPPRESS)
    p_check.add_argument("--strict", action="store_true", help="fail on warnings too")
    p_check.set_defaults(func=command_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was before this build wrote anything", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
