"""Citations: plain text, BibTeX, CSL-JSON files beside each provision page; Highwire tags; JSON-LD; CITATION.cff."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import yaml

from atlas.citation import Citation, bibtex, bibtex_escape, bibtex_key, bibtex_url, csl_json
from browser_support import chromium, serve, wait_until
from conftest import REPO, edit, messages, run_build, soup

CHILD = "platforms/alpha/policy/child-safety/"
BASE = "https://example.org/atlas/"
HOSTILE_TITLE = 'Ban } { \\ 100% $5 & #1 _x_ ^ ~ </script><script>alert(1)</script> "q" @misc{evil, x = {'

# --- A strict reading of BibTeX --------------------------------------------------------------------------------

# The inverse of atlas.citation.bibtex_escape, to check that an escaped value reads back as the original text.
_LATEX = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}", r"\textasciicircum{}": "^",
          r"\textasciitilde{}": "~", r"\$": "$", r"\&": "&", r"\%": "%", r"\#": "#", r"\_": "_"}


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """Read one entry as BibTeX does, strictly: @type{key, name = {value}, ...}; braces balance in every value.

    BibTeX counts a brace even after a backslash, so "\\{" would unbalance a value: this parser counts them too.
    """
    head = re.match(r"@([a-z]+)\{([A-Za-z0-9:-]+),\n", text)
    assert head, f"bad entry head: {text[:60]!r}"
    pos, fields = head.end(), {}
    while True:
        field = re.compile(r"  ([a-z]+) = \{").match(text, pos)
        assert field, f"bad field at {text[pos:pos + 40]!r}"
        depth, pos = 1, field.end()
        start = pos
        while depth:
            assert pos < len(text), "unbalanced braces"
            depth += {"{": 1, "}": -1}.get(text[pos], 0)
            pos += 1
        assert field.group(1) not in fields, f"duplicate field {field.group(1)}"
        fields[field.group(1)] = text[start:pos - 1]
        if text.startswith(",\n", pos):
            pos += 2
            continue
        assert text[pos:] == "\n}\n", f"bad entry end: {text[pos:]!r}"
        return head.group(1), head.group(2), fields


def unescape(value: str) -> str:
    """LaTeX text back to plain text; fails on any special character left unescaped."""
    out, i = [], 0
    while i < len(value):
        for escaped, plain in _LATEX.items():
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            assert value[i] not in "\\{}$&%#_^~", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


# --- CSL-JSON: the CSL 1.0.2 input data schema's rules for the variables we write -----------------------------

_DATE = {"type": "object", "additionalProperties": False, "required": ["date-parts"], "properties": {
    "date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                   "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["string", "number"]}}}}}
_NAME = {"type": "object", "additionalProperties": False, "properties": {
    k: {"type": "string"} for k in ("family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle")}}
_STRING_VARIABLES = ("abstract", "archive", "archive_location", "container-title", "genre", "language", "keyword",
                     "note", "publisher", "publisher-place", "section", "source", "title", "title-short", "URL", "DOI")
CSL_DATA_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "additionalProperties": False,
        "properties": {
            "type": {"enum": ["article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
                              "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
                              "entry-dictionary", "entry-encyclopedia", "figure", "graphic", "hearing", "interview",
                              "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score",
                              "pamphlet", "paper-conference", "patent", "performance", "periodical",
                              "personal_communication", "post", "post-weblog", "regulation", "report", "review",
                              "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"]},
            "id": {"type": ["string", "number"]},
            "number": {"type": ["string", "number"]},
            "author": {"type": "array", "items": _NAME},
            "issued": _DATE,
            "accessed": _DATE,
            **{k: {"type": "string"} for k in _STRING_VARIABLES},
        },
    },
}


def _citation(title: str = "Child safety ban") -> Citation:
    return Citation(
        record_id="alpha/policy/child-safety", path=CHILD, title=title, full_title=f"Alpha AI Usage Policy: {title}",
        summary="A summary.", platform="Alpha AI", platform_url="https://alpha.example.com", operator=None,
        document_title="Alpha AI Usage Policy", document_url="https://alpha.example.com/policy", section=None,
        excerpt="You must not.", excerpt_status="verbatim", quote_verified=True, author="Fixture Editors",
        written=date(2026, 1, 10), issued=date(2026, 4, 20), accessed=date(2026, 4, 21), captured=date(2026, 4, 1),
        archive_url="https://web.archive.org/web/1/x?a=1&b=%20#f", snapshot_path="platforms/alpha/policy/snapshots/2026-04-01.txt",
        sha256="ab" * 32, hash_verified=True, keywords=("Child safety",), site_title="Fixture Atlas",
        publisher="Fixture Publisher", language="en", licence_name="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/")


# --- Unit: escaping and keys -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["plain", "}{", "\\", "100% & $5 #1 _x_ ^ ~", HOSTILE_TITLE, "a\nb\tc\x00d", "{{}}}"])
def test_bibtex_escape_reads_back_and_balances(text: str) -> None:
    escaped = bibtex_escape(text)
    depth = 0
    for ch in escaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert "\n" not in escaped
    assert unescape(escaped) == " ".join(text.replace("\x00", " ").split())


def test_bibtex_key_is_stable_and_made_from_the_record_id() -> None:
    assert bibtex_key("alpha/policy/child-safety") == "alpha:policy:child-safety"
    assert bibtex_key("a/b/c") != bibtex_key("a/b/d")


@pytest.mark.parametrize(("url", "encoded"), [
    ("https://a.example/atlas/p/d/x/", "https://a.example/atlas/p/d/x/"),  # the usual URL, as it is
    ("https://a.example/r\u00e9gles/", "https://a.example/r\u00e9gles/"),  # printable non-ASCII stays
    ("https://a.example/a b/", "https://a.example/a%20b/"),
    ("https://a.example/{x}\\y\"", "https://a.example/%7Bx%7D%5Cy%22"),
    ("https://a.example/\x07\u2028", "https://a.example/%07%E2%80%A8"),  # as UTF-8 bytes, as URLs are encoded
])
def test_bibtex_url_encodes_only_what_could_break_the_field(url: str, encoded: str) -> None:
    assert bibtex_url(url) == encoded


def test_bibtex_of_a_hostile_title_is_one_valid_entry() -> None:
    text = bibtex(_citation(HOSTILE_TITLE), BASE)
    kind, key, fields = parse_bibtex(text)
    assert (kind, key) == ("misc", "alpha:policy:child-safety")
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    assert unescape(fields["title"][1:-1]) == f"Alpha AI Usage Policy: {HOSTILE_TITLE}"
    assert text.count("@") == 2  # the entry's own, and the one inside the title (a braced value is text)
    assert unescape(fields["note"]).endswith("https://web.archive.org/web/1/x?a=1&b=%20#f.")
    assert fields["url"] == BASE + CHILD


def test_csl_json_of_a_hostile_title_is_valid() -> None:
    data = csl_json(_citation(HOSTILE_TITLE), BASE)
    jsonschema.validate(data, CSL_DATA_SCHEMA)
    assert data[0]["title"] == f"Alpha AI Usage Policy: {HOSTILE_TITLE}"


# --- Built pages and files -------------------------------------------------------------------------------------

def _provision_urls(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("platforms/*/*/*/index.html"))


def test_every_provision_has_its_three_citation_files(basic_site: Path) -> None:
    urls = _provision_urls(basic_site)
    assert len(urls) == 5
    for url in urls:
        page = soup(basic_site, url)
        block = page.select_one("#cite")
        for name, pre in (("cite.txt", "#cite-text"), ("cite.bib", "#cite-bibtex"), ("cite.json", "#cite-csl")):
            file = basic_site / url / name
            link = block.select_one(f"a.cite-download[href$='{name}']")
            assert link.has_attr("download")
            assert ((basic_site / url) / link["href"]).resolve() == file.resolve()
            shown = block.select_one(pre)
            if name == "cite.txt":  # the page shows exactly what the download holds
                assert shown.get_text() == file.read_text(encoding="utf-8")
            else:  # not repeated in the page: copy.js fetches the download into it when its section opens
                assert shown.get_text() == "" and shown.has_attr("hidden")
                assert shown.find_parent("details") is link.find_parent("details") is not None


def test_plain_text_citation(basic_site: Path) -> None:
    text = (basic_site / CHILD / "cite.txt").read_text(encoding="utf-8")
    assert text == (
        "Fixture Editors. \u201cAlpha AI Usage Policy: Child safety ban.\u201d Fixture Atlas, record "
        "alpha/policy/child-safety. Fixture Publisher, April 20, 2026. "
        "https://example.org/atlas/platforms/alpha/policy/child-safety/ (accessed April 20, 2026).\n"
        "Archived source captured 2026-04-01 (SHA-256 d49be0ede17d36173400e8dfc63526a0f2a0aaa3d5b58886c1eb43d677dac105, "
        "verified): https://example.org/atlas/platforms/alpha/policy/snapshots/2026-04-01.txt, "
        "https://web.archive.org/web/20260401000000/https://alpha.example.com/policy.\n")


def test_bibtex_files_parse(basic_site: Path) -> None:
    for url in _provision_urls(basic_site):
        text = (basic_site / url / "cite.bib").read_text(encoding="utf-8")
        kind, key, fields = parse_bibtex(text)
        record_id = "/".join(url.split("/")[1:4])
        assert (kind, key) == ("misc", record_id.replace("/", ":"))
        assert fields["url"] == BASE + url
        assert fields["urldate"] == "2026-04-20"
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == []
        [entry] = library.entries
        assert entry.key == key
        assert entry.fields_dict["url"].value == BASE + url
    _, _, child = parse_bibtex((basic_site / CHILD / "cite.bib").read_text(encoding="utf-8"))
    assert child["title"] == "{Alpha AI Usage Policy: Child safety ban}"
    assert child["author"] == "{Fixture Editors}"
    assert (child["year"], child["date"]) == ("2026", "2026-04-20")


def test_csl_json_files_are_valid(basic_site: Path) -> None:
    for url in _provision_urls(basic_site):
        data = json.loads((basic_site / url / "cite.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, CSL_DATA_SCHEMA)
        [item] = data
        assert item["id"] == "/".join(url.split("/")[1:4])
        assert item["URL"] == BASE + url
        assert item["accessed"] == {"date-parts": [[2026, 4, 20]]}  # the build's as-of date, not the wall clock
        assert item["container-title"] == "Fixture Atlas" and item["publisher"] == "Fixture Publisher"
    child = json.loads((basic_site / CHILD / "cite.json").read_text(encoding="utf-8"))[0]
    assert child["type"] == "webpage"
    assert child["title"] == "Alpha AI Usage Policy: Child safety ban"
    assert child["issued"] == {"date-parts": [[2026, 4, 20]]}
    assert child["author"] == [{"literal": "Fixture Editors"}]


def test_highwire_meta_tags(basic_site: Path) -> None:
    page = soup(basic_site, CHILD)
    meta = {}
    for tag in page.head.select("meta[name^=citation_]"):
        meta.setdefault(tag["name"], []).append(tag["content"])
    assert meta["citation_title"] == ["Alpha AI Usage Policy: Child safety ban"]
    assert meta["citation_author"] == ["Fixture Editors"]
    assert meta["citation_publication_date"] == ["2026/04/20"]
    assert meta["citation_publisher"] == ["Fixture Publisher"]
    assert meta["citation_public_url"] == [BASE + CHILD]
    assert meta["citation_keywords"] == ["Child safety"]


def test_json_ld_describes_the_quotation(basic_site: Path) -> None:
    page = soup(basic_site, CHILD)
    [script] = page.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    assert data["identifier"] == "alpha/policy/child-safety"
    assert data["url"] == BASE + CHILD
    assert data["publisher"]["name"] == "Fixture Publisher"
    assert (data["datePublished"], data["dateModified"]) == ("2026-01-10", "2026-04-20")
    quote = data["mainEntity"]
    assert quote["@type"] == "Quotation"
    assert quote["text"].startswith("You must not use the Services")
    assert quote["isPartOf"]["name"] == "Alpha AI Usage Policy"
    assert quote["isPartOf"]["url"] == "https://alpha.example.com/policy"
    assert BASE + "platforms/alpha/policy/snapshots/2026-04-01.txt" in quote["isPartOf"]["archivedAt"]
    # A paraphrase is not presented as a quotation.
    paraphrase = json.loads(soup(basic_site, "platforms/beta/policy/old-clause/").select_one(
        'script[type="application/ld+json"]').string)
    assert paraphrase["mainEntity"]["@type"] == "CreativeWork"
    assert "isPartOf" not in paraphrase["mainEntity"]


def test_copy_buttons_work_without_inline_script(basic_site: Path) -> None:
    page = soup(basic_site, CHILD)
    buttons = page.select("#cite button.copy-button")
    assert len(buttons) == 3
    for button in buttons:
        assert button.has_attr("hidden")  # shown by copy.js only, so a reader without JavaScript sees no dead button
        assert page.find(id=button["data-copy"]).name == "pre"
    scripts = page.select("script")
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts), "no inline script"
    [copy] = [s for s in scripts if s.get("src", "").endswith("copy.js")]
    assert ((basic_site / CHILD) / copy["src"]).resolve() == (basic_site / "assets/js/copy.js").resolve()
    assert (basic_site / "assets/js/copy.js").is_file()


def test_hostile_title_is_harmless_everywhere(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/alpha/policy/child-safety.yaml", "title: Child safety ban",
         "title: " + json.dumps(HOSTILE_TITLE))
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    html = (out / CHILD / "index.html").read_text(encoding="utf-8")
    page = soup(out, CHILD)
    assert not any(s.string and "alert(1)" in s.string and s.get("type") != "application/ld+json" for s in page.select("script"))
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in page.select("script"))
    [script] = page.select('script[type="application/ld+json"]')
    assert json.loads(script.string)["headline"] == HOSTILE_TITLE
    assert "</script><script>" not in html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert page.select_one('meta[name="citation_title"]')["content"] == f"Alpha AI Usage Policy: {HOSTILE_TITLE}"
    assert page.select_one("h1").get_text() == HOSTILE_TITLE
    # Each download is still one valid record of its format.
    _, key, fields = parse_bibtex((out / CHILD / "cite.bib").read_text(encoding="utf-8"))
    assert key == "alpha:policy:child-safety"
    assert unescape(fields["title"][1:-1]) == f"Alpha AI Usage Policy: {HOSTILE_TITLE}"
    library = bibtexparser.parse_string((out / CHILD / "cite.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == [] and [e.key for e in library.entries] == [key]
    data = json.loads((out / CHILD / "cite.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, CSL_DATA_SCHEMA)
    assert data[0]["title-short"] == HOSTILE_TITLE
    assert "<" not in (out / CHILD / "cite.json").read_text(encoding="utf-8")  # json_text escapes it
    assert (out / CHILD / "cite.txt").read_text(encoding="utf-8").count("\n") == 2


def test_citations_follow_the_base_url(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(kb, out, base_url="https://mirror.example.net/sub/path/")
    assert result.ok, messages(result)
    assert "https://mirror.example.net/sub/path/" + CHILD in (out / CHILD / "cite.txt").read_text(encoding="utf-8")
    assert json.loads((out / CHILD / "cite.json").read_text(encoding="utf-8"))[0]["URL"] == "https://mirror.example.net/sub/path/" + CHILD
    assert soup(out, CHILD).select_one('meta[name="citation_public_url"]')["content"] == "https://mirror.example.net/sub/path/" + CHILD


# --- CITATION.cff for the dataset ------------------------------------------------------------------------------

# The rules of the Citation File Format 1.2.0 schema for what a dataset's CITATION.cff may say.
_URL = {"type": "string", "pattern": "^(https|http|ftp|sftp)://.+"}
CFF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": ["authors", "cff-version", "message", "title"],
    "properties": {
        "cff-version": {"type": "string", "pattern": r"^1\.2\.0$"},
        "message": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "abstract": {"type": "string", "minLength": 1},
        "type": {"enum": ["dataset", "software"]},
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"anyOf": [
            {"type": "object", "additionalProperties": False, "required": ["name"],
             "properties": {"name": {"type": "string", "minLength": 1}, "website": _URL, "email": {"type": "string"},
                            "alias": {"type": "string"}, "orcid": {"type": "string"}}},
            {"type": "object", "additionalProperties": False, "anyOf": [{"required": ["family-names"]}, {"required": ["given-names"]}],
             "properties": {k: {"type": "string", "minLength": 1} for k in
                            ("family-names", "given-names", "name-particle", "name-suffix", "affiliation", "email", "orcid", "alias")}},
        ]}},
        "license": {"type": "string", "pattern": r"^[A-Za-z0-9.+-]+$"},
        "license-url": _URL,
        "repository-code": _URL,
        "repository": _URL,
        "repository-artifact": _URL,
        "url": _URL,
        "keywords": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "minLength": 1}},
        "version": {"type": ["string", "number"], "minLength": 1},
        "date-released": {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"},
        "doi": {"type": "string", "pattern": r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-\.\(\)\[\]\\]+$"},
        "commit": {"type": "string"},
        "contact": {"type": "array"},
        "identifiers": {"type": "array"},
        "preferred-citation": {"type": "object"},
        "references": {"type": "array"},
    },
}


def test_citation_cff_is_valid_and_matches_the_site() -> None:
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    # Dates must be strings for the CFF schema: parse with the base loader, which keeps every scalar a string.
    data = yaml.load(text, Loader=yaml.BaseLoader)
    jsonschema.validate(data, CFF_SCHEMA)
    assert data["cff-version"] == "1.2.0" and data["type"] == "dataset"
    site = yaml.safe_load((REPO / "data/site.yaml").read_text(encoding="utf-8"))
    assert data["license"] == site["licence"]["id"]
    assert data["repository-code"] == site["repository"]
    assert data["url"] == site["url"]
    assert site["title"] in data["title"]


def test_cff_schema_rejects_what_cff_rejects() -> None:
    # The schema above is only worth something if it fails on broken files.
    good = yaml.load((REPO / "CITATION.cff").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for broken in ({**good, "cff-version": "1.1.0"}, {k: v for k, v in good.items() if k != "authors"},
                   {**good, "authors": [{"website": "https://x.org"}]}, {**good, "type": "book"}, {**good, "colour": "red"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, CFF_SCHEMA)


# --- The copy button in a real browser -------------------------------------------------------------------------

@pytest.mark.browser
def test_copy_button_copies_the_citation_and_the_page_works_without_javascript(basic_site: Path) -> None:
    pytest.importorskip("playwright.sync_api")
    expected = (basic_site / CHILD / "cite.bib").read_text(encoding="utf-8")
    with serve(basic_site, "/atlas/") as base, chromium() as browser:
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(base + CHILD)
        button = page.locator("button[data-copy=cite-bibtex]")
        assert not button.is_visible()
        # Opening the BibTeX section fetches cite.bib into the page; then its copy button shows.
        page.locator("#cite details.cite-format summary").first.click()
        wait_until(page, "document.querySelector('#cite-bibtex').textContent !== ''")
        assert page.locator("#cite-bibtex").text_content() == expected
        assert page.locator("#cite-bibtex").is_visible() and button.is_visible()
        button.click()
        wait_until(page, "document.querySelector('#cite .copy-status').textContent !== ''")
        assert page.locator("#cite .copy-status").text_content() == "Citation copied to the clipboard."
        assert page.evaluate("navigator.clipboard.readText()") == expected
        page.locator("#cite details.cite-format summary").nth(1).click()
        wait_until(page, "document.querySelector('#cite-csl').textContent !== ''")
        assert json.loads(page.locator("#cite-csl").text_content()) == json.loads(
            (basic_site / CHILD / "cite.json").read_text(encoding="utf-8"))
        # A fetch that fails is tried again the next time the section is opened.
        retry = context.new_page()
        retry.route("**/cite.json", lambda route: route.abort())
        retry.goto(base + CHILD)
        summary = retry.locator("#cite details.cite-format summary").nth(1)
        summary.click()
        wait_until(retry, "document.querySelector('#cite .copy-status').textContent !== ''")
        assert retry.locator("#cite-csl").text_content() == ""
        retry.unroute("**/cite.json")
        summary.click()  # closed
        summary.click()  # and opened again
        wait_until(retry, "document.querySelector('#cite-csl').textContent !== ''")
        # Where the file cannot be fetched (the page opened from disk), the reader is sent to the download link.
        local = context.new_page()
        local.goto((basic_site / CHILD / "index.html").as_uri())
        local.locator("#cite details.cite-format summary").first.click()
        wait_until(local, "document.querySelector('#cite .copy-status').textContent !== ''")
        assert "download link" in local.locator("#cite .copy-status").text_content()
        assert not local.locator("button[data-copy=cite-bibtex]").is_visible()
        # Without JavaScript: no dead button, the plain text is on the page to select, the downloads are links.
        plain = browser.new_context(java_script_enabled=False).new_page()
        plain.goto(base + CHILD)
        assert plain.locator("#cite button.copy-button").evaluate_all("bs => bs.filter(b => b.offsetParent !== null).length") == 0
        assert "alpha/policy/child-safety" in plain.locator("#cite-text").inner_text()
        plain.locator("#cite details.cite-format summary").first.click()
        assert plain.locator("#cite a.cite-download[href$='cite.bib']").is_visible()


def test_citations_name_months_in_english_whatever_the_locale(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A program that sets its locale (LC_TIME) before building must not change the bytes published."""
    import time

    real = time.strftime
    # What %B gives under a French LC_TIME; date.strftime calls time.strftime.
    monkeypatch.setattr(time, "strftime", lambda fmt, *when: real(fmt, *when).replace("April", "avril"))
    assert date(2026, 4, 1).strftime("%B") == "avril"  # the stand-in locale is in effect
    result = run_build(kb, tmp_path / "site")
    assert result.ok, messages(result)
    for name in ("cite.txt", "index.html"):
        text = (tmp_path / "site" / CHILD / name).read_text(encoding="utf-8")
        assert "April 20, 2026" in text and "avril" not in text, name
