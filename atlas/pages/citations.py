"""Citation files of each provision, published beside its page: cite.txt, cite.bib and cite.json (CSL-JSON)."""
from __future__ import annotations

from typing import Iterator

from .. import model as m
from ..graph import Graph
from ..urls import url_for
from .base import Page

# file name -> template; each template renders one format of render's citation(provision) global, so the
# files hold exactly what the provision page's citation block shows.
CITATION_FILES = (("cite.txt", "cite.txt"), ("cite.bib", "cite.bib"), ("cite.json", "cite.json"))


def plan(graph: Graph) -> Iterator[Page]:
    """The three citation files of every provision."""
    for provision in graph.provisions.values():
        yield from citation_files(provision)


def citation_files(provision: m.Provision) -> Iterator[Page]:
    """The three citation files of one provision."""
    url = url_for(provision)
    for name, template in CITATION_FILES:
        yield Page(url + name, template, provision)  # a data file: no title, which only HTML pages show
