"""Rules for the repository's own files: CI workflows, issue forms, editor and hook settings.

These files are rarely run locally, and a mistake in them either breaks the deployment or, worse,
gives a stranger's pull request write access. Each test states one rule.

Only the standard library and PyYAML. Note that YAML 1.1 (PyYAML) reads the workflow key `on` as the
boolean True; `triggers()` handles both spellings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
PR = WORKFLOWS / "pr.yml"
ISSUE_TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
SCHEMAS = ROOT / "atlas" / "schemas"

# The major version each action is pinned to.
PINNED = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/configure-pages": "v5",
    "actions/upload-pages-artifact": "v3",
    "actions/deploy-pages": "v4",
    "actions/upload-artifact": "v4",
    "actions/cache": "v4",
}
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")

# Schemas that describe something other than a YAML file, so the YAML extension cannot be pointed at
# them: the analysis schema describes the front matter of content/analyses/*.md (Markdown files).
NOT_YAML_SCHEMAS = {"analysis.schema.json"}

# A sample path for each YAML schema; each must resolve to that schema and no other.
SAMPLE_PATHS = {
    "content/example-ai/platform.yaml": "platform.schema.json",
    "content/example-ai/usage-policy/document.yaml": "document.schema.json",
    "content/example-ai/usage-policy/child-safety.yaml": "provision.schema.json",
    "content/example-ai/usage-policy/platform.yaml": "provision.schema.json",  # a provision called "platform"
    "data/site.yaml": "site.schema.json",
    "data/clause-types.yaml": "clause-types.schema.json",
    "data/regulations.yaml": "regulations.schema.json",
    "data/jurisdictions.yaml": "jurisdictions.schema.json",
}
NO_SCHEMA_PATHS = [
    "content/example-ai/usage-policy/snapshots/2026-05-11.txt",
    "content/example-ai/usage-policy/child-safety.md",
    "content/analyses/child-safety.md",
    ".github/workflows/deploy.yml",
    ".pre-commit-config.yaml",
]


# ----------------------------------------------------------------------------- helpers


def load_yaml(path: Path) -> Any:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def triggers(workflow: dict) -> dict[str, Any]:
    """The workflow's `on:` as {event: configuration or None}, whatever its shape."""
    assert "on" in workflow or True in workflow, "the workflow has no `on:` triggers"
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    assert isinstance(on, dict), f"unexpected `on:` value {on!r}"
    return on


def jobs(workflow: dict) -> dict[str, dict]:
    result = workflow.get("jobs")
    assert isinstance(result, dict) and result, "the workflow has no jobs"
    return result


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def all_steps(workflow: dict) -> Iterator[tuple[str, dict]]:
    for name, job in jobs(workflow).items():
        for step in steps(job):
            yield name, step


def action(step: dict) -> tuple[str, str] | None:
    """('owner/repo', 'ref') of a `uses:` step, or None for a `run:` step."""
    uses = step.get("uses")
    if not uses:
        return None
    name, _, ref = uses.partition("@")
    return name, ref


def uses_action(job: dict, name: str) -> list[dict]:
    return [s for s in steps(job) if (a := action(s)) and a[0] == name]


def runs(job: dict, *needles: str) -> list[int]:
    """Indexes of the job's `run:` steps whose command contains every needle."""
    return [
        i
        for i, s in enumerate(steps(job))
        if isinstance(s.get("run"), str) and all(n in s["run"] for n in needles)
    ]


def command_lines(job: dict) -> list[tuple[int, str]]:
    """(step index, command line) for every line of every `run:` step, comments dropped."""
    result = []
    for i, s in enumerate(steps(job)):
        for line in str(s.get("run") or "").splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                result.append((i, line))
    return result


def permission_values(permissions: Any) -> list[str]:
    if permissions is None:
        return []
    if isinstance(permissions, str):
        return [permissions]
    assert isinstance(permissions, dict), f"unexpected permissions {permissions!r}"
    return [str(v) for v in permissions.values()]


def grants_write(permissions: Any) -> bool:
    return any("write" in v for v in permission_values(permissions))


def expression_reaches(value: str, expression: str, *envs: dict | None) -> bool:
    """Whether `value` (a command argument) carries `expression` (e.g. steps.pages.outputs.base_url),
    written inline as ${{ ... }} or through an environment variable set to it."""
    inline = re.compile(r"\$\{\{\s*" + re.escape(expression) + r"\s*\}\}")
    if inline.search(value):
        return True
    for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", value):
        for env in envs:
            if env and var in env and inline.search(str(env[var])):
                return True
    return False


def argument(command: str, option: str) -> str | None:
    match = re.search(re.escape(option) + r"(?:=|\s+)(\"[^\"]*\"|'[^']*'|\S+)", command)
    return match.group(1).strip("\"'") if match else None


def glob_regex(pattern: str) -> re.Pattern:
    """A glob as the YAML extension (vscode-json-languageservice) reads it: relative to any folder,
    `*` within one path segment, `**` across segments, `{a,b}` alternatives."""
    pattern = pattern.lstrip("/")
    if not pattern.startswith("**/"):
        pattern = "**/" + pattern
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "{":
            end = pattern.index("}", i)
            out += "(?:" + "|".join(re.escape(p) for p in pattern[i + 1 : end].split(",")) + ")"
            i = end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile("^/?" + out + "$")


def glob_matches(patterns: str | list[str], path: str) -> bool:
    """At least one pattern matches and the last matching one is not an exclusion ('!')."""
    matched = False
    for pattern in [patterns] if isinstance(patterns, str) else patterns:
        include = not pattern.startswith("!")
        if glob_regex(pattern.lstrip("!")).match(path):
            matched = include
    return matched


def schema_mapping() -> dict[str, list[str]]:
    """yaml.schemas of .vscode/settings.json as {schema file name: [globs]}."""
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings.get("yaml.schemas")
    assert isinstance(mapping, dict) and mapping, "settings.json has no yaml.schemas"
    result = {}
    for schema, globs in mapping.items():
        relative = schema.removeprefix("./")
        assert relative.startswith("atlas/schemas/"), f"{schema}: not a schema of atlas/schemas/"
        assert (ROOT / relative).is_file(), f"{schema}: no such schema file"
        result[Path(relative).name] = [globs] if isinstance(globs, str) else list(globs)
    return result


def schemas_for(mapping: dict[str, list[str]], path: str) -> list[str]:
    return sorted(name for name, globs in mapping.items() if glob_matches(globs, path))


@pytest.fixture(scope="module")
def deploy() -> dict:
    return load_yaml(DEPLOY)


@pytest.fixture(scope="module")
def pr() -> dict:
    return load_yaml(PR)


# ----------------------------------------------------------------------------- both workflows


@pytest.mark.parametrize("path", [DEPLOY, PR], ids=["deploy", "pr"])
def test_actions_are_pinned_to_their_major_version(path: Path) -> None:
    for job, step in all_steps(load_yaml(path)):
        if (a := action(step)) is None:
            continue
        name, ref = a
        assert ref, f"{path.name}, job {job}: {name} has no version"
        if name in PINNED:
            assert ref == PINNED[name], f"{path.name}, job {job}: {name}@{ref}, expected @{PINNED[name]}"


@pytest.mark.parametrize("path", [DEPLOY, PR], ids=["deploy", "pr"])
def test_python_is_3_11(path: Path) -> None:
    for job, step in all_steps(load_yaml(path)):
        if (a := action(step)) and a[0] == "actions/setup-python":
            assert str((step.get("with") or {}).get("python-version")) == "3.11", f"{path.name}, job {job}"


@pytest.mark.parametrize("path", [DEPLOY, PR], ids=["deploy", "pr"])
def test_no_job_or_step_is_switched_off(path: Path) -> None:
    """A check that cannot fail (if: false, continue-on-error: true) is no check."""
    workflow = load_yaml(path)
    units = [(f"job {name}", job) for name, job in jobs(workflow).items()]
    units += [(f"job {job}, step {step.get('name') or step.get('uses')}", step) for job, step in all_steps(workflow)]
    for where, unit in units:
        condition = re.sub(r"^\$\{\{\s*|\s*\}\}$", "", str(unit.get("if", "")).strip()).lower()
        assert condition not in ("false", "0"), f"{path.name}, {where}: switched off with if: false"
        assert unit.get("continue-on-error") in (None, False), f"{path.name}, {where}: continue-on-error"


# ----------------------------------------------------------------------------- deploy.yml


def test_deploy_triggers_on_push_to_main_only(deploy: dict) -> None:
    on = triggers(deploy)
    assert "push" in on, "deploy.yml must run on push"
    assert "main" in ((on["push"] or {}).get("branches") or []), "deploy.yml must run on push to main"
    assert set((on["push"] or {}).get("branches") or []) == {"main"}, "deploy.yml deploys main only"
    assert "workflow_dispatch" in on, "deploy.yml should be runnable by hand"
    assert not {"pull_request", "pull_request_target", "workflow_run"} & set(on), (
        "deploy.yml must never run for pull requests"
    )


def test_deploy_top_level_permissions_are_read_only(deploy: dict) -> None:
    assert deploy.get("permissions") == {"contents": "read"}


def test_only_the_deploy_job_can_write_pages(deploy: dict) -> None:
    all_jobs = jobs(deploy)
    assert "deploy" in all_jobs and "build" in all_jobs
    assert all_jobs["deploy"].get("permissions") == {"pages": "write", "id-token": "write"}
    for name, job in all_jobs.items():
        if name != "deploy":
            assert not grants_write(job.get("permissions")), f"job {name} must not have write permissions"
    assert all_jobs["build"].get("permissions") == {"contents": "read"}


def test_deploy_job_deploys_the_build(deploy: dict) -> None:
    job = jobs(deploy)["deploy"]
    needs = job.get("needs")
    assert "build" in ([needs] if isinstance(needs, str) else needs or []), "deploy must need build"
    deploying = uses_action(job, "actions/deploy-pages")
    assert len(deploying) == 1, "the deploy job deploys with actions/deploy-pages"
    step_id = deploying[0].get("id")
    assert step_id, "the deploy-pages step needs an id, for the environment URL"
    environment = job.get("environment")
    assert isinstance(environment, dict) and environment.get("name") == "github-pages"
    assert re.fullmatch(
        r"\$\{\{\s*steps\." + re.escape(step_id) + r"\.outputs\.page_url\s*\}\}", str(environment.get("url"))
    ), "the environment URL comes from the deploy step"


def test_deploy_runs_one_at_a_time_without_cancelling(deploy: dict) -> None:
    concurrency = deploy.get("concurrency")
    assert isinstance(concurrency, dict), "deploy.yml needs a concurrency group"
    assert concurrency.get("group") == "pages"
    assert concurrency.get("cancel-in-progress") is False


def test_deploy_uses_the_pages_actions_in_the_right_jobs(deploy: dict) -> None:
    build, deploy_job = jobs(deploy)["build"], jobs(deploy)["deploy"]
    assert uses_action(build, "actions/checkout")
    assert uses_action(build, "actions/configure-pages")
    uploads = uses_action(build, "actions/upload-pages-artifact")
    assert uploads and (uploads[0].get("with") or {}).get("path") == "site"
    assert uses_action(deploy_job, "actions/deploy-pages")
    assert not uses_action(build, "actions/deploy-pages"), "only the deploy job deploys"
    setup = uses_action(build, "actions/setup-python")
    assert setup and (setup[0].get("with") or {}).get("cache") == "pip", "set up Python with the pip cache"


def test_deploy_builds_once_with_annotations_and_the_pages_base_url(deploy: dict) -> None:
    build = jobs(deploy)["build"]
    build_steps = steps(build)
    configure = uses_action(build, "actions/configure-pages")
    assert configure and configure[0].get("id"), "configure-pages needs an id (e.g. pages)"
    pages_id = configure[0]["id"]
    configure_at = build_steps.index(configure[0])

    installs = runs(build, "pip install", "-e .")
    assert installs, "install the project with python -m pip install -e ."
    # The build checks everything a check would: a check step first would render the whole site twice.
    checks = [i for i, line in command_lines(build) if re.search(r"build\.py check\b", line)]
    assert not checks, "the build annotates its problems itself (build --format github); no separate check"
    builds = [(i, line) for i, line in command_lines(build) if re.search(r"build\.py build\b", line)]
    assert len(builds) == 1, "build the site once, with python build.py build"
    build_at, command = builds[0]
    assert argument(command, "--format") == "github", "the build annotates problems: --format github"
    assert "--no-cache" in command.split(), "no build follows on the runner: --no-cache spares keeping .atlas-cache/"
    base_url = argument(command, "--base-url")
    assert base_url is not None, "the build passes --base-url"
    step = build_steps[build_at]
    assert expression_reaches(
        base_url, f"steps.{pages_id}.outputs.base_url", step.get("env"), build.get("env"), deploy.get("env")
    ), "--base-url must be configure-pages' base_url"
    assert base_url.endswith("/"), "configure-pages' base_url has no trailing slash; add one"
    upload_at = build_steps.index(uses_action(build, "actions/upload-pages-artifact")[0])
    assert installs[0] < build_at < upload_at, "install, build, then upload"
    assert configure_at < build_at, "configure Pages before building"


# ----------------------------------------------------------------------------- pr.yml


def test_pr_workflow_runs_on_pull_request_never_pull_request_target(pr: dict) -> None:
    on = triggers(pr)
    assert "pull_request" in on
    assert "pull_request_target" not in on, "pull_request_target gives forks' code a write token"
    assert "workflow_run" not in on, "workflow_run runs with the base repository's permissions"


def test_pr_workflow_has_no_write_permission_anywhere(pr: dict) -> None:
    assert pr.get("permissions") == {"contents": "read"}, "top-level permissions: contents: read only"
    for name, job in jobs(pr).items():
        assert not grants_write(job.get("permissions")), f"job {name} must not have write permissions"
        assert "write-all" not in permission_values(job.get("permissions"))


def test_pr_workflow_uses_no_secrets_and_never_deploys(pr: dict) -> None:
    text = PR.read_text(encoding="utf-8")
    assert not re.search(r"\bsecrets\.", text), "pr.yml must not use secrets"
    for job, step in all_steps(pr):
        if (a := action(step)) is not None:
            assert a[0] not in PAGES_ACTIONS, f"job {job}: pull requests never touch Pages ({a[0]})"
        assert "environment" not in jobs(pr)[job], f"job {job}: no deployment environment"


def test_pr_workflow_checks_the_changed_files_then_everything(pr: dict) -> None:
    check = jobs(pr).get("check")
    assert check, "pr.yml needs a check job"
    checkout = uses_action(check, "actions/checkout")
    assert checkout and (checkout[0].get("with") or {}).get("fetch-depth") == 0, (
        "fetch-depth: 0, so that --changed can diff against the base branch"
    )
    changed = [
        (i, line)
        for i, line in command_lines(check)
        if re.search(r"build\.py check\b", line) and "--changed" in line
    ]
    assert changed, "run build.py check --changed"
    at, command = changed[0]
    assert re.search(r"--format[= ]github", command), "annotate the pull request: --format github"
    base = argument(command, "--changed")
    assert base is not None and expression_reaches(
        base, "github.base_ref", steps(check)[at].get("env"), check.get("env"), pr.get("env")
    ), "--changed diffs against origin/<the pull request's base branch>"
    assert base.startswith("origin/")
    full = [i for i, line in command_lines(check) if re.search(r"build\.py check\b", line) and "--changed" not in line]
    assert full and full[-1] > at, "then check the whole knowledge base"


def test_pr_workflow_runs_the_tests_with_chromium(pr: dict) -> None:
    test = jobs(pr).get("test")
    assert test, "pr.yml needs a test job"
    assert runs(test, "pip install", "[test]"), "install the test extras: pip install -e '.[test]'"
    assert runs(test, "apt-get install", "chromium"), "install chromium for the browser tests"
    assert any(
        re.match(r"(?:python -m pytest|pytest|\.?/?\.ci/run)\b", line) for _, line in command_lines(test)
    ), "run the tests: .ci/run or python -m pytest"


def test_pr_workflow_uploads_a_preview(pr: dict) -> None:
    build = jobs(pr).get("build")
    assert build, "pr.yml needs a build job"
    builds = [(i, line) for i, line in command_lines(build) if re.search(r"build\.py build\b", line)]
    assert builds and argument(builds[0][1], "--base-url"), "build the preview with --base-url"
    uploads = uses_action(build, "actions/upload-artifact")
    assert uploads, "upload the preview with actions/upload-artifact"
    options = uploads[0].get("with") or {}
    assert options.get("name") == "site-preview" and options.get("path") == "site"
    assert builds[0][0] < steps(build).index(uploads[0]), "build before uploading"


# ----------------------------------------------------------------------------- issue forms

FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


@pytest.mark.parametrize("name", ["request-platform.yml", "report-error.yml"])
def test_issue_form_is_valid(name: str) -> None:
    form = load_yaml(ISSUE_TEMPLATES / name)
    assert isinstance(form, dict)
    for key in ("name", "description", "title"):
        assert isinstance(form.get(key), str) and form[key].strip(), f"{name}: {key} is required"
    assert isinstance(form.get("labels"), list) and form["labels"], f"{name}: labels"
    body = form.get("body")
    assert isinstance(body, list) and body, f"{name}: body is required"
    ids, labels = set(), set()
    fields = 0
    for n, element in enumerate(body):
        kind = element.get("type")
        assert kind in FORM_TYPES, f"{name}: body[{n}]: unknown type {kind!r}"
        attributes = element.get("attributes") or {}
        if kind == "markdown":
            assert attributes.get("value"), f"{name}: body[{n}]: markdown needs a value"
            continue
        fields += 1
        label = attributes.get("label")
        assert label, f"{name}: body[{n}]: label is required"
        assert label not in labels, f"{name}: body[{n}]: duplicate label {label!r}"
        labels.add(label)
        if "id" in element:
            assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"]), f"{name}: body[{n}]: bad id"
            assert element["id"] not in ids, f"{name}: body[{n}]: duplicate id"
            ids.add(element["id"])
        if kind in ("dropdown", "checkboxes"):
            options = attributes.get("options")
            assert isinstance(options, list) and options, f"{name}: body[{n}]: options are required"
            if kind == "checkboxes":
                assert all(isinstance(o, dict) and o.get("label") for o in options), f"{name}: body[{n}]"
            else:
                assert all(isinstance(o, str) and o for o in options), f"{name}: body[{n}]"
                assert len(set(options)) == len(options), f"{name}: body[{n}]: duplicate options"
    assert fields, f"{name}: the form asks nothing"


def required_fields(form: dict) -> dict[str, dict]:
    return {
        e["id"]: e
        for e in form["body"]
        if e.get("id") and (e.get("validations") or {}).get("required") is True
    }


def test_report_error_form_asks_for_the_record_the_problem_and_the_evidence() -> None:
    form = load_yaml(ISSUE_TEMPLATES / "report-error.yml")
    required = required_fields(form)
    for field in ("location", "problem", "source"):
        assert field in required, f"report-error.yml: the {field!r} field is missing or optional"
    assert required["problem"]["type"] == "textarea"
    assert "url" in required["source"]["attributes"]["label"].lower(), "the evidence field asks for a URL"


def test_request_platform_form_asks_for_the_platform_and_its_documents() -> None:
    form = load_yaml(ISSUE_TEMPLATES / "request-platform.yml")
    required = required_fields(form)
    for field in ("platform", "documents"):
        assert field in required, f"request-platform.yml: the {field!r} field is missing or optional"


def test_issue_template_config_disables_blank_issues_and_links_contributing() -> None:
    config = load_yaml(ISSUE_TEMPLATES / "config.yml")
    assert config.get("blank_issues_enabled") is False
    links = config.get("contact_links") or []
    contributing = [link for link in links if str(link.get("url", "")).endswith("/CONTRIBUTING.md")]
    assert contributing, "link to CONTRIBUTING.md"
    for link in links:
        assert link.get("name") and link.get("about"), "contact links need a name and an about"
        assert str(link.get("url", "")).startswith("https://"), "contact links need an absolute URL"
    site = ROOT / "data" / "site.yaml"
    if site.is_file():
        repository = str((load_yaml(site) or {}).get("repository", "")).rstrip("/")
        if repository:
            assert contributing[0]["url"].startswith(repository + "/"), (
                f"the CONTRIBUTING link should point into data/site.yaml's repository {repository}"
            )


# ----------------------------------------------------------------------------- editor and hooks


def test_vscode_maps_every_schema_file() -> None:
    mapping = schema_mapping()
    existing = {p.name for p in SCHEMAS.glob("*.schema.json")}
    assert existing, "atlas/schemas/ has no schemas"
    assert NOT_YAML_SCHEMAS <= existing, f"stale exemption: {sorted(NOT_YAML_SCHEMAS - existing)}"
    missing = existing - NOT_YAML_SCHEMAS - set(mapping)
    assert not missing, f".vscode/settings.json does not map {sorted(missing)}"


@pytest.mark.parametrize("path", sorted(SAMPLE_PATHS))
def test_vscode_globs_pick_exactly_the_right_schema(path: str) -> None:
    assert schemas_for(schema_mapping(), path) == [SAMPLE_PATHS[path]]


@pytest.mark.parametrize("path", NO_SCHEMA_PATHS)
def test_vscode_globs_leave_other_files_alone(path: str) -> None:
    assert schemas_for(schema_mapping(), path) == []


def record_files() -> list[Path]:
    return sorted(
        p
        for folder in ("content", "data")
        if (ROOT / folder).is_dir()
        for p in (ROOT / folder).rglob("*.yaml")
    )


def test_vscode_globs_agree_with_the_records_own_schema_lines() -> None:
    """Each record's `# yaml-language-server: $schema=...` and settings.json name the same schema."""
    mapping = schema_mapping()
    for path in record_files():
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = re.search(r"\$schema=(\S+)", first_line)
        if not match:
            continue  # the build reports a missing schema line; this test compares the two
        relative = path.relative_to(ROOT).as_posix()
        named = Path(match.group(1)).name
        assert schemas_for(mapping, relative) == [named], f"{relative}: its schema line names {named}"


def test_vscode_validates_yaml_and_recommends_the_yaml_extension() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings.get("yaml.validate", True) is True
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions.get("recommendations", [])


def test_pre_commit_runs_the_atlas_check_on_content_and_data() -> None:
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = [hook for repo in config.get("repos") or [] for hook in repo.get("hooks") or []]
    atlas = [hook for hook in hooks if hook.get("id") == "atlas-check"]
    assert atlas, "an atlas-check hook"
    hook = atlas[0]
    assert re.search(r"\bbuild\.py check\b", hook.get("entry", "")), "the hook runs build.py check"
    assert "--changed" in hook["entry"]
    assert hook.get("language") == "system"
    assert hook.get("pass_filenames") is False
    files = re.compile(hook.get("files", ""))
    for path in ("content/example-ai/usage-policy/child-safety.yaml", "data/site.yaml"):
        assert files.search(path), f"the hook runs for {path}"
    for path in ("atlas/load.py", "templates/base.html", "tests/fixtures/content/x/platform.yaml"):
        assert not files.search(path), f"the hook should not run for {path}"


# ----------------------------------------------------------------------------- contributor documents


def test_pull_request_template_has_the_review_checklist() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if re.match(r"\s*- \[ \] ", line)]
    assert len(items) >= 6, "a checklist"
    checklist = "\n".join(items)
    for needle in ("snapshots/", "sha256", "verbatim", "first_seen", "last_verified",
                   "data/clause-types.yaml", "own words", "python build.py check"):
        assert needle in checklist, f"the checklist mentions {needle}"


def test_contributing_guide_covers_the_workflow() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in ("python build.py new provision", "sha256sum", "python -c", "python build.py check",
                   "python build.py serve", "path:line:col: error[code]: message", "authorship.reviewers",
                   "ai_assisted", "paraphrase"):
        assert needle in text, f"CONTRIBUTING.md mentions {needle}"
