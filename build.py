#!/usr/bin/env python3
"""Governance Atlas: build, check, preview and extend the knowledge base (`python build.py --help`)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from atlas import changed
from atlas.output import megabytes
from atlas.pipeline import BuildOptions, build
from atlas.problems import Problem, format_github, format_text, sorted_problems
from atlas.summary import markdown_summary, size_summary

HERE = Path(__file__).resolve().parent


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=HERE, help="folder of the knowledge base (its content/ and data/); default: this repository")


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text: path:line:col lines on stderr; github: GitHub Actions annotations on stdout, "
                             "and a Markdown summary appended to $GITHUB_STEP_SUMMARY when it is set")


def command_build(args: argparse.Namespace) -> int:
    """Build the site into --out."""
    out = args.out if args.out is not None else args.root / "site"
    result = build(BuildOptions(root=args.root, out=out, base_url=args.base_url, search=not args.no_search,
                                cache=not args.no_cache))
    problems = sorted_problems(result.problems)
    _report_problems(problems, args.root, args.format, result.pages)
    if not result.ok:
        errors = sum(1 for p in problems if p.is_error)
        print(f"build failed: {errors} error(s); {out} was left as it was", file=sys.stderr)
        return 1
    # With annotations on stdout, the rest goes to stderr: stdout holds nothing GitHub would read as a command.
    print(f"built {result.pages} files, {megabytes(result.size)}, into {out} ({result.written} written, {result.removed} removed"
          f"{', search indexed' if result.indexed else ''})", file=sys.stderr if args.format == "github" else sys.stdout)
    if args.format == "github":  # the size, run after run, where maintainers look: it grows with the provisions
        _append_summary(size_summary(result.pages, result.size))
    return 0


def _report_problems(problems: list[Problem], root: Path, style: str, pages: int, scope: str | None = None, hidden: int = 0) -> None:
    """Report problems: path:line:col lines on stderr, or GitHub annotations on stdout and the step summary."""
    if style != "github":
        for problem in problems:
            print(format_text(problem), file=sys.stderr)
        return
    prefix = _workspace_path(root)
    located = [replace(problem, path=prefix + problem.path) for problem in problems]
    for problem in located:
        print(format_github(problem))
    _append_summary(markdown_summary(located, pages, scope, hidden))


def _workspace_path(root: Path) -> str:
    """root relative to the repository checkout (GitHub resolves annotation paths from there), or ""."""
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        relative = root.resolve().relative_to(workspace).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def _append_summary(text: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"could not write the step summary to {target}: {exc}", file=sys.stderr)


def command_check(args: argparse.Namespace) -> int:
    """Validate and render everything in memory; write nothing."""
    scope, files = None, None
    if args.changed is not None:
        try:  # ask git first: a missing base should not cost a whole build
            scope, files = changed.changed_files(args.root, args.changed or None)
        except changed.ChangedFilesError as exc:
            print(f"check --changed: {exc}", file=sys.stderr)
            return 2
    result = build(BuildOptions(root=args.root, out=None, base_url=args.base_url, search=False, keep_contents=False))
    problems: list[Problem] = sorted_problems(result.problems)
    shown = problems if files is None else changed.problems_in(problems, files)
    hidden = len(problems) - len(shown)
    _report_problems(shown, args.root, args.format, result.pages, scope, hidden)
    errors = sum(1 for p in shown if p.is_error)
    warnings = len(shown) - errors
    where = f" in files changed against {scope}" if scope else ""
    others = f"; {hidden} problem(s) in other files not shown" if hidden else ""
    # Pages are planned and rendered only from records without errors: say so rather than "checked 0 files".
    done = f"checked {result.pages} files" if result.pages else "checked the records (the pages are rendered once they have no error)"
    print(f"{done}: {errors} error(s), {warnings} warning(s){where}{others}", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def command_new(args: argparse.Namespace) -> int:
    """Write a new record with placeholders, and say what to fill in."""
    from atlas import scaffold  # here, not at the top: the schemas it loads are of no use to a build with nothing to do
    try:
        if args.kind == "platform":
            plan = scaffold.plan_platform(args.root, args.id)
        elif args.kind == "document":
            plan = scaffold.plan_document(args.root, *scaffold.split_ids(args.id, 2, "PLATFORM/DOCUMENT"))
        else:
            plan = scaffold.plan_provision(args.root, *scaffold.split_ids(args.id, 3, "PLATFORM/DOCUMENT/PROVISION"),
                                           clause_type=args.clause_type)
        scaffold.write(plan)
    except scaffold.ScaffoldError as exc:
        print(f"new {args.kind}: {exc}", file=sys.stderr)
        return 2
    print(f"created {plan.relative}")
    print("fill in:")
    for todo in plan.todo:
        field = todo.message.removeprefix("replace the TODO placeholder in ")
        print(f"  {todo.path}:{todo.line}: {field}")
    for note in plan.notes:
        print(f"- {note}")
    print("then run: python build.py check (each placeholder left is reported as error[placeholder])")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    """Build into a temporary folder, serve it on 127.0.0.1, rebuild on every change, reload open pages."""
    from urllib.parse import urlsplit

    from atlas import preview, serve

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # `kill` or a closed terminal: stop like Ctrl-C, removing the preview folder

    signal.signal(signal.SIGTERM, stop)
    # Ctrl-C stops the preview even when it was started from a shell that ignores it in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    path = urlsplit(args.base_url).path if args.base_url else preview.site_path(args.root)
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    # A temporary folder, never site/: a preview (with its local URLs) can never be mistaken for a deploy.
    # The search index may still be running in the background when the preview stops.
    with tempfile.TemporaryDirectory(prefix="atlas-preview-", ignore_cleanup_errors=True) as temp:
        out = Path(temp) / "site"
        state = serve.PreviewState(site=out, base_path=path)
        try:
            server = serve.PreviewServer(state, args.port)
        except OSError as exc:
            print(f"serve: cannot listen on {serve.HOST}:{args.port}: {exc}", file=sys.stderr)
            return 2
        builder = preview.PreviewBuilder(args.root, out, f"http://{serve.HOST}:{server.port}{path}", search=not args.no_search,
                                         report_index=serve.report_problems)
        return serve.run(server, preview.watched_folders(args.root), builder.rebuild, quick=builder.quick)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    p_build = sub.add_parser("build", help="build the site (the default command)", description="Build the static site.")
    _add_common(p_build)
    p_build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ in the root)")
    p_build.add_argument("--base-url", default=None, help="address the site is served at, e.g. https://example.github.io/atlas/")
    p_build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p_build.add_argument("--no-cache", action="store_true",
                         help="neither read nor write .atlas-cache/: for a build no other follows, as in CI "
                              "(the same site, sooner: nothing is worked out for a next build)")
    _add_format(p_build)
    p_build.set_defaults(func=command_build)

    p_check = sub.add_parser("check", help="validate everything and write nothing", description="Validate and render in memory.")
    _add_common(p_check)
    p_check.add_argument("--base-url", default=None, help=argparse.SUPPRESS)
    p_check.add_argument("--strict", action="store_true", help="fail on warnings too")
    _add_format(p_check)
    p_check.add_argument("--changed", nargs="?", const="", default=None, metavar="BASE",
                         help="report only problems in files changed against BASE (committed since the merge base, "
                              "staged, unstaged or untracked); default BASE: origin/main, else main")
    p_check.set_defaults(func=command_check)

    p_serve = sub.add_parser("serve", help="live preview: build, serve on 127.0.0.1, rebuild and reload on changes",
                             description="Build into a temporary folder and serve it on 127.0.0.1 under the base path; "
                                         "watch content/, data/, templates/ and assets/, rebuild on change and reload "
                                         "open pages; while the content is broken, serve the last good build with the problems over it.")
    _add_common(p_serve)
    p_serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    p_serve.add_argument("--base-url", default=None,
                         help="serve under this URL's path (default: the path of data/site.yaml's url, e.g. /atlas/)")
    p_serve.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p_serve.set_defaults(func=command_serve)

    p_new = sub.add_parser("new", help="start a new platform, document or provision record",
                           description="Write a new record whose placeholders say what to fill in; never overwrites.")
    new_sub = p_new.add_subparsers(dest="kind", required=True)
    for kind, shape, text in (("platform", "ID", "content/ID/platform.yaml"),
                              ("document", "PLATFORM/ID", "content/PLATFORM/ID/document.yaml"),
                              ("provision", "PLATFORM/DOCUMENT/ID", "content/PLATFORM/DOCUMENT/ID.yaml")):
        p_kind = new_sub.add_parser(kind, help=f"write {text}", description=f"Write {text}.")
        p_kind.add_argument("id", metavar=shape, help="lowercase letters, digits and hyphens; the parents must exist")
        _add_common(p_kind)
        if kind == "provision":
            p_kind.add_argument("--clause-type", default=None, metavar="T",
                                help="a clause type ID from data/clause-types.yaml; pre-fills clause_type and position")
        p_kind.set_defaults(func=command_new)
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
    except BrokenPipeError:  # the reader of stdout stopped early (`| head`): nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that exiting flushes nowhere
        return 1


if __name__ == "__main__":
    sys.exit(main())
