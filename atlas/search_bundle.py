"""Make Pagefind's bundle deterministic: its filter and metadata indexes are written in hash-map order.

Pagefind (see Pagefind/pagefind#638) orders filter values and the filter list of its metadata file
differently from run to run, and names those files by their content. This module rewrites them in a
sorted order, renames them by the hash of the sorted content and updates the references, so the same
HTML always gives the same bundle. The data is CBOR behind a signature, gzip-compressed.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _encode(data) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(data), compresslevel=9, mtime=0)


def _name(language: str, payload: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(payload).hexdigest()[:length]}"


def canonicalise(bundle: Path) -> None:
    """Rewrite the filter and metadata files of every language of a Pagefind bundle in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, file_hash in meta[3]:
            filter_path = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(filter_path)
            payload = _encode([filter_name, sorted(([v, sorted(pages)] for v, pages in values), key=lambda x: x[0])])
            new_hash = _name(language, payload, len(file_hash) - len(language) - 1)
            filter_path.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(payload)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        payload = _encode(meta)
        new_meta = _name(language, payload, len(info["hash"]) - len(language) - 1)
        meta_path.unlink()
        (bundle / f"pagefind.{new_meta}.pf_meta").write_bytes(payload)
        info["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
