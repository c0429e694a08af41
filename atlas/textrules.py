"""What contributed text may not hold: hidden characters, and the placeholders of a scaffold."""
from __future__ import annotations

import re

# Text that could hide or reorder what a reviewer reads: C0/C1 controls (but tab and newline), bidi controls
# (U+061C too), zero-width space and invisible operators, interlinear annotations, the Unicode "tag" characters
# (invisible ASCII look-alikes used to smuggle instructions past readers), and U+FFFE/U+FFFF (not allowed in XML).
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
                    "\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f]")
# What `build.py new` writes where a contributor must write something: "TODO: <what goes here>".
PLACEHOLDER = "TODO"
PLACEHOLDER_START = re.compile(r"\s*TODO\b")


def plain_yaml(source: str) -> bool:
    """True if no text parsed from this YAML source can hold a hidden character or a placeholder.

    A parsed text is made of the source's own characters, but for the escapes of double-quoted text
    (which need a backslash); and libyaml refuses control characters, so an ASCII source holds none.
    """
    if "\\" in source or PLACEHOLDER in source:
        return False
    return source.isascii() or HIDDEN.search(source) is None
