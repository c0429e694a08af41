#!/usr/bin/env python3
"""Generate a synthetic Governance Atlas knowledge base of realistic size and shape.

    python bench/corpus.py --provisions N --out DIR [--seed S]

writes DIR/content and DIR/data, buildable with `python build.py build --root DIR`. The output is a pure
function of (N, seed): random.Random only, no wall clock, no hash-order dependence, so the same arguments
give byte-identical files. Proportions follow the real corpus (13,250 provisions ~ 350 platforms ~ 820
documents); text lengths follow the seed pages in shared/seeds. Every record passes its JSON Schema and
every reference resolves (clause type, position, category, regulation, article, jurisdiction, excerpt
version, analysis links); every verbatim excerpt occurs in the snapshot it cites, and every sha256 is the
hash of the snapshot's bytes.

Each platform is generated from its own Random(f"{seed}/platform/{i}"), so platforms are independent of
one another (and could be generated in parallel) while the whole stays deterministic.

The platform names, operators and web sites are fictional (web sites use the reserved .example TLD).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

SCHEMA_URL = "https://governance-atlas.github.io/atlas/schemas/v1/{}.schema.json"
MARKER = ".bench-corpus"  # marks an output folder as ours, so a re-run may replace its content/ and data/

# Proportions of the real corpus.
REAL_PROVISIONS, REAL_PLATFORMS, REAL_DOCUMENTS = 13_250, 350, 820

START = date(2024, 1, 1).toordinal()
AS_OF = date(2026, 5, 15).toordinal()    # site.as_of: "now" for the build; no record date after it...
END = date(2026, 5, 31).toordinal()      # ...except effective dates, which may lie ahead (upcoming changes)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# Slugs the loader reserves, and names that would collide with files in the same folder.
RESERVED = frozenset({"snapshots", "index", "versions", "changes", "feed", "feeds", "api", "assets", "con",
                      "prn", "aux", "nul", "document", "platform", "analyses",
                      *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})

_DATE_CACHE: dict[int, str] = {}


def iso(ordinal: int) -> str:
    s = _DATE_CACHE.get(ordinal)
    if s is None:
        s = _DATE_CACHE[ordinal] = date.fromordinal(ordinal).isoformat()
    return s


def long_date(ordinal: int) -> str:
    d = date.fromordinal(ordinal)
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


_SLUG_STRIP = re.compile(r"[’'`]")
_SLUG_SEP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60) -> str:
    s = _SLUG_SEP.sub("-", _SLUG_STRIP.sub("", text.lower())).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "item"


def unique_slug(base: str, used: set[str]) -> str:
    slug, n = base, 1
    while slug in used or slug in RESERVED:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def lc_first(s: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("CBRN", "API")."""
    return s if s[1:2].isupper() else s[:1].lower() + s[1:]


# ---------------------------------------------------------------------------------------------------------
# Vocabulary: jurisdictions, regulations, clause types (written out: they are the site's controlled terms)
# ---------------------------------------------------------------------------------------------------------

JURISDICTIONS = [  # id, code, name, parent, flag (how the clause plays out there), governing-law phrase
    ("global", "GLOBAL", "Global", None,
     "international instruments set expectations rather than binding rules, but they shape how national regulators read the clause", None),
    ("eu", "EU", "European Union", None,
     "EU consumer and platform law lets regulators and courts set aside terms that are unclear or unfair to consumers", None),
    ("ie", "IE", "Ireland", "eu",
     "the Data Protection Commission leads on cross-border processing by platforms established in Ireland", "Ireland"),
    ("fr", "FR", "France", "eu",
     "the CNIL and consumer authorities have been active on AI and platform terms", "France"),
    ("de", "DE", "Germany", "eu",
     "courts review standard business terms strictly under the Civil Code, and clauses that surprise users are void", "Germany"),
    ("us", "US", "United States", None,
     "federal law leaves most of the clause to contract, but the FTC can act where terms are unfair or deceptive", "the State of Delaware"),
    ("us-ca", "US-CA", "California", "us",
     "California's privacy and consumer statutes add disclosure and opt-out duties the clause does not mention", "the State of California"),
    ("us-co", "US-CO", "Colorado", "us",
     "the Colorado AI Act adds duties for deployers of high-risk AI systems that the clause does not address", "the State of Colorado"),
    ("us-il", "US-IL", "Illinois", "us",
     "BIPA's private right of action makes any processing of biometric identifiers a litigation risk", "the State of Illinois"),
    ("us-ny", "US-NY", "New York", "us",
     "New York City requires bias audits before automated tools are used in hiring decisions", "the State of New York"),
    ("uk", "UK", "United Kingdom", None,
     "the Consumer Rights Act 2015 and the Online Safety Act 2023 both apply to services offered to UK users", "England and Wales"),
    ("ca", "CA", "Canada", None,
     "PIPEDA requires meaningful consent and purposes a reasonable person would consider appropriate", "the Province of Ontario"),
    ("br", "BR", "Brazil", None,
     "the LGPD gives data subjects a right to review of automated decisions and the ANPD has acted against AI training", "Brazil"),
    ("cn", "CN", "China", None,
     "generative AI services offered to the public must meet content, labelling and filing requirements", "the People's Republic of China"),
    ("jp", "JP", "Japan", None,
     "the APPI restricts provision of personal data to third parties, including overseas service providers", "Japan"),
    ("sg", "SG", "Singapore", None,
     "the PDPA requires consent and limits transfers of personal data outside Singapore", "Singapore"),
    ("in", "IN", "India", None,
     "the DPDP Act requires verifiable parental consent for children's data and notice for all processing", "India"),
    ("au", "AU", "Australia", None,
     "the Australian Privacy Principles govern use, disclosure and cross-border transfer of personal information", "New South Wales, Australia"),
]
JUR = {j[0]: j for j in JURISDICTIONS}
# How a jurisdiction reads inside a sentence ("in the European Union").
JUR_PHRASE = {"global": "many jurisdictions", "eu": "the European Union", "us": "the United States",
              "uk": "the United Kingdom", **{j[0]: j[2] for j in JURISDICTIONS if j[0] not in ("global", "eu", "us", "uk")}}

EURLEX = "https://eur-lex.europa.eu/eli/"
# id, name, full name, jurisdiction, url, description, what it does (a verb phrase), enforcer,
# article url pattern ("" for none; {n} is the number in the article id), articles (id, label, title)
REGULATIONS: list[tuple[Any, ...]] = [
    ("eu-ai-act", "EU AI Act", "Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence", "eu",
     EURLEX + "reg/2024/1689/oj", "Harmonised, risk-based rules for placing AI systems and general-purpose AI models on the EU market.",
     "sets risk-based obligations for providers and deployers of AI systems, and bans certain practices outright",
     "the AI Office and national market surveillance authorities", "https://artificialintelligenceact.eu/article/{n}/",
     [("art-4", "Article 4", "AI literacy"), ("art-5", "Article 5", "Prohibited AI practices"),
      ("art-6", "Article 6", "Classification rules for high-risk AI systems"), ("art-9", "Article 9", "Risk management system"),
      ("art-10", "Article 10", "Data and data governance"),
      ("art-13", "Article 13", "Transparency and provision of information to deployers"),
      ("art-14", "Article 14", "Human oversight"), ("art-26", "Article 26", "Obligations of deployers of high-risk AI systems"),
      ("art-50", "Article 50", "Transparency obligations for providers and deployers of certain AI systems"),
      ("art-53", "Article 53", "Obligations for providers of general-purpose AI models"),
      ("art-55", "Article 55", "Obligations for providers of general-purpose AI models with systemic risk"),
      ("art-99", "Article 99", "Penalties")]),
    ("gdpr", "GDPR", "Regulation (EU) 2016/679 (General Data Protection Regulation)", "eu", EURLEX + "reg/2016/679/oj",
     "The EU's general law on the processing of personal data.",
     "requires a lawful basis, transparency and purpose limitation for any processing of personal data",
     "the national data protection authorities and the European Data Protection Board", "https://gdpr-info.eu/art-{n}-gdpr/",
     [("art-5", "Article 5", "Principles relating to processing of personal data"), ("art-6", "Article 6", "Lawfulness of processing"),
      ("art-7", "Article 7", "Conditions for consent"),
      ("art-8", "Article 8", "Conditions applicable to child's consent in relation to information society services"),
      ("art-9", "Article 9", "Processing of special categories of personal data"),
      ("art-13", "Article 13", "Information to be provided where personal data are collected from the data subject"),
      ("art-15", "Article 15", "Right of access by the data subject"), ("art-17", "Article 17", "Right to erasure"),
      ("art-21", "Article 21", "Right to object"), ("art-22", "Article 22", "Automated individual decision-making, including profiling"),
      ("art-28", "Article 28", "Processor"), ("art-35", "Article 35", "Data protection impact assessment"),
      ("art-44", "Article 44", "General principle for transfers"),
      ("art-46", "Article 46", "Transfers subject to appropriate safeguards")]),
    ("dsa", "Digital Services Act", "Regulation (EU) 2022/2065 on a Single Market for Digital Services", "eu",
     EURLEX + "reg/2022/2065/oj", "Due-diligence obligations for intermediary services and online platforms.",
     "requires intermediary services to apply their terms diligently, objectively and proportionately, and to explain restrictions",
     "the European Commission and the national Digital Services Coordinators", "",
     [("art-14", "Article 14", "Terms and conditions"), ("art-16", "Article 16", "Notice and action mechanisms"),
      ("art-17", "Article 17", "Statement of reasons"), ("art-20", "Article 20", "Internal complaint-handling system"),
      ("art-21", "Article 21", "Out-of-court dispute settlement"), ("art-23", "Article 23", "Measures and protection against misuse"),
      ("art-28", "Article 28", "Online protection of minors"), ("art-34", "Article 34", "Risk assessment"),
      ("art-35", "Article 35", "Mitigation of risks")]),
    ("eu-unfair-terms", "Unfair Contract Terms Directive", "Council Directive 93/13/EEC on unfair terms in consumer contracts",
     "eu", EURLEX + "dir/1993/13/oj", "Protects consumers against unfair standard terms.",
     "makes standard terms that cause a significant imbalance to the consumer's detriment non-binding",
     "national consumer protection authorities and courts", "",
     [("art-3", "Article 3", "Unfair terms"), ("art-4", "Article 4", "Assessment of unfairness"),
      ("art-5", "Article 5", "Plain, intelligible language"), ("art-6", "Article 6", "Unfair terms not binding on the consumer"),
      ("art-7", "Article 7", "Means to prevent the continued use of unfair terms"),
      ("annex-1-j", "Annex, point 1(j)", "Unilateral alteration of terms"),
      ("annex-1-q", "Annex, point 1(q)", "Excluding or hindering the right to take legal action")]),
    ("eu-dsm-copyright", "DSM Copyright Directive", "Directive (EU) 2019/790 on copyright and related rights in the Digital Single Market",
     "eu", EURLEX + "dir/2019/790/oj", "Copyright rules for the digital single market, including text and data mining.",
     "allows text and data mining unless rightholders have reserved their rights",
     "national courts and copyright authorities", "",
     [("art-3", "Article 3", "Text and data mining for the purposes of scientific research"),
      ("art-4", "Article 4", "Exception or limitation for text and data mining"),
      ("art-15", "Article 15", "Protection of press publications concerning online uses"),
      ("art-17", "Article 17", "Use of protected content by online content-sharing service providers"),
      ("art-18", "Article 18", "Principle of appropriate and proportionate remuneration"),
      ("art-19", "Article 19", "Transparency obligation")]),
    ("eu-csa-directive", "Child Sexual Abuse Directive",
     "Directive 2011/93/EU on combating the sexual abuse and sexual exploitation of children and child pornography", "eu",
     EURLEX + "dir/2011/93/oj", "Criminal-law rules on the sexual abuse and exploitation of children.",
     "criminalises the production and distribution of child sexual abuse material, including realistic images",
     "national prosecutors and police, with Europol", "",
     [("art-2", "Article 2", "Definitions"), ("art-5", "Article 5", "Offences concerning child pornography"),
      ("art-6", "Article 6", "Solicitation of children for sexual purposes"), ("art-21", "Article 21", "Prevention measures"),
      ("art-25", "Article 25", "Measures against websites containing or disseminating child pornography")]),
    ("eu-pld", "Product Liability Directive", "Directive (EU) 2024/2853 on liability for defective products", "eu",
     EURLEX + "dir/2024/2853/oj", "No-fault liability for defective products, including software and AI systems.",
     "makes manufacturers of defective products, including software, liable without fault and bars contractual exclusions",
     "national courts", "",
     [("art-4", "Article 4", "Definitions"), ("art-5", "Article 5", "Right to compensation"), ("art-7", "Article 7", "Defectiveness"),
      ("art-8", "Article 8", "Economic operators liable for defective products"), ("art-10", "Article 10", "Burden of proof"),
      ("art-11", "Article 11", "Exemption from liability"), ("art-15", "Article 15", "Exclusion or limitation of liability")]),
    ("nis2", "NIS2 Directive", "Directive (EU) 2022/2555 on measures for a high common level of cybersecurity across the Union",
     "eu", EURLEX + "dir/2022/2555/oj", "Cybersecurity risk-management and reporting duties for essential and important entities.",
     "requires essential and important entities to manage cybersecurity risks, including those in their supply chain",
     "national competent authorities and CSIRTs", "",
     [("art-20", "Article 20", "Governance"), ("art-21", "Article 21", "Cybersecurity risk-management measures"),
      ("art-23", "Article 23", "Reporting obligations"),
      ("art-24", "Article 24", "Use of European cybersecurity certification schemes"),
      ("art-32", "Article 32", "Supervisory and enforcement measures in relation to essential entities")]),
    ("eprivacy", "ePrivacy Directive", "Directive 2002/58/EC on privacy and electronic communications", "eu",
     EURLEX + "dir/2002/58/oj", "Confidentiality of communications and rules on cookies and similar technologies.",
     "requires consent before storing or reading information on a user's device, except where strictly necessary",
     "national data protection and telecoms authorities", "",
     [("art-5", "Article 5", "Confidentiality of the communications"), ("art-6", "Article 6", "Traffic data"),
      ("art-9", "Article 9", "Location data other than traffic data"), ("art-13", "Article 13", "Unsolicited communications"),
      ("art-15", "Article 15", "Application of certain provisions of Directive 95/46/EC")]),
    ("uk-gdpr", "UK GDPR", "UK General Data Protection Regulation and Data Protection Act 2018", "uk",
     "https://www.legislation.gov.uk/ukpga/2018/12/contents", "The United Kingdom's retained version of the GDPR.",
     "requires a lawful basis and transparency for processing personal data of people in the UK",
     "the Information Commissioner's Office", "",
     [("art-5", "Article 5", "Principles relating to processing of personal data"), ("art-6", "Article 6", "Lawfulness of processing"),
      ("art-13", "Article 13", "Information to be provided where personal data are collected from the data subject"),
      ("art-17", "Article 17", "Right to erasure"), ("art-22", "Article 22", "Automated individual decision-making, including profiling"),
      ("art-35", "Article 35", "Data protection impact assessment"),
      ("art-46", "Article 46", "Transfers subject to appropriate safeguards")]),
    ("uk-osa", "Online Safety Act 2023", "Online Safety Act 2023 (c. 50)", "uk", "https://www.legislation.gov.uk/ukpga/2023/50",
     "Duties of care for user-to-user and search services towards users in the United Kingdom.",
     "imposes duties on online services to assess and mitigate illegal content and risks to children",
     "Ofcom", "",
     [("s-9", "Section 9", "Illegal content risk assessment duties"), ("s-10", "Section 10", "Safety duties about illegal content"),
      ("s-11", "Section 11", "Children's risk assessment duties"), ("s-12", "Section 12", "Safety duties protecting children"),
      ("s-20", "Section 20", "Duty about content reporting"), ("s-21", "Section 21", "Duties about complaints procedures"),
      ("s-71", "Section 71", "Duty not to act against users except in accordance with terms of service")]),
    ("uk-cra", "Consumer Rights Act 2015", "Consumer Rights Act 2015 (c. 15)", "uk", "https://www.legislation.gov.uk/ukpga/2015/15",
     "Consumer rights for goods, digital content and services, and the fairness of consumer contract terms.",
     "makes unfair terms in consumer contracts unenforceable and requires terms to be transparent and prominent",
     "the Competition and Markets Authority and the courts", "",
     [("s-47", "Section 47", "Liability that cannot be excluded or restricted (digital content)"),
      ("s-57", "Section 57", "Liability that cannot be excluded or restricted (services)"),
      ("s-62", "Section 62", "Requirement for contract terms and notices to be fair"),
      ("s-64", "Section 64", "Exclusion from assessment of fairness"),
      ("s-65", "Section 65", "Bar on exclusion or restriction of negligence liability"),
      ("s-68", "Section 68", "Requirement for transparency"),
      ("sch-2", "Schedule 2", "Consumer contract terms which may be regarded as unfair")]),
    ("coppa", "COPPA", "Children's Online Privacy Protection Act and Rule (16 CFR Part 312)", "us",
     "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312",
     "Parental consent and notice requirements for collecting personal information from children under 13.",
     "requires verifiable parental consent before collecting personal information from children under 13",
     "the Federal Trade Commission and state attorneys general", "",
     [("s-312-2", "16 CFR 312.2", "Definitions"), ("s-312-4", "16 CFR 312.4", "Notice"),
      ("s-312-5", "16 CFR 312.5", "Parental consent"),
      ("s-312-6", "16 CFR 312.6", "Right of parent to review personal information provided by a child"),
      ("s-312-8", "16 CFR 312.8", "Confidentiality, security, and integrity of personal information collected from children"),
      ("s-312-10", "16 CFR 312.10", "Data retention and deletion requirements")]),
    ("ftc-act", "FTC Act Section 5", "Federal Trade Commission Act, Section 5 (15 U.S.C. 45)", "us",
     "https://www.law.cornell.edu/uscode/text/15/45", "Prohibits unfair or deceptive acts or practices in commerce.",
     "prohibits unfair or deceptive acts or practices, including misleading claims about AI products and data use",
     "the Federal Trade Commission", "",
     [("s-45-a", "15 U.S.C. 45(a)", "Declaration of unlawfulness"), ("s-45-b", "15 U.S.C. 45(b)", "Proceeding by Commission"),
      ("s-45-l", "15 U.S.C. 45(l)", "Penalty for violation of order"),
      ("s-45-m", "15 U.S.C. 45(m)", "Civil actions for recovery of penalties"),
      ("s-45-n", "15 U.S.C. 45(n)", "Standard of proof; public policy considerations")]),
    ("dmca", "DMCA", "Digital Millennium Copyright Act (17 U.S.C. 512 and 1201)", "us",
     "https://www.law.cornell.edu/uscode/text/17/512", "Safe harbours for online service providers and anti-circumvention rules.",
     "gives online service providers a safe harbour if they remove infringing material on notice",
     "the federal courts", "",
     [("s-512-a", "17 U.S.C. 512(a)", "Transitory digital network communications"), ("s-512-b", "17 U.S.C. 512(b)", "System caching"),
      ("s-512-c", "17 U.S.C. 512(c)", "Information residing on systems or networks at direction of users"),
      ("s-512-g", "17 U.S.C. 512(g)", "Replacement of removed or disabled material"),
      ("s-512-i", "17 U.S.C. 512(i)", "Conditions for eligibility"),
      ("s-1201", "17 U.S.C. 1201", "Circumvention of copyright protection systems")]),
    ("faa", "Federal Arbitration Act", "Federal Arbitration Act (9 U.S.C. 1-16, 401-402)", "us",
     "https://www.law.cornell.edu/uscode/text/9/chapter-1", "Makes written agreements to arbitrate valid and enforceable.",
     "makes written agreements to arbitrate enforceable, which lets platforms require individual arbitration",
     "the federal and state courts", "",
     [("s-2", "9 U.S.C. 2", "Validity, irrevocability, and enforcement of agreements to arbitrate"),
      ("s-3", "9 U.S.C. 3", "Stay of proceedings where issue therein referable to arbitration"),
      ("s-4", "9 U.S.C. 4", "Failure to arbitrate under agreement"), ("s-10", "9 U.S.C. 10", "Vacation of awards"),
      ("s-402", "9 U.S.C. 402", "No validity or enforceability (sexual assault and harassment disputes)")]),
    ("cfaa", "CFAA", "Computer Fraud and Abuse Act (18 U.S.C. 1030)", "us", "https://www.law.cornell.edu/uscode/text/18/1030",
     "Federal offences of unauthorised access to protected computers.",
     "criminalises access to computers without or in excess of authorisation",
     "the Department of Justice", "",
     [("s-1030-a-2", "18 U.S.C. 1030(a)(2)", "Obtaining information without authorisation"),
      ("s-1030-a-5", "18 U.S.C. 1030(a)(5)", "Causing damage to a protected computer"),
      ("s-1030-a-7", "18 U.S.C. 1030(a)(7)", "Extortion involving computers"),
      ("s-1030-e", "18 U.S.C. 1030(e)", "Definitions"), ("s-1030-g", "18 U.S.C. 1030(g)", "Civil action")]),
    ("us-csam-reporting", "18 U.S.C. 2258A", "Reporting requirements of providers (18 U.S.C. 2258A and 2258B)", "us",
     "https://www.law.cornell.edu/uscode/text/18/2258A", "Duty of online providers to report apparent child sexual abuse material.",
     "requires online providers to report apparent child sexual abuse material to NCMEC's CyberTipline",
     "the Department of Justice, with NCMEC", "",
     [("s-2258a-a", "18 U.S.C. 2258A(a)", "Duty to report"), ("s-2258a-b", "18 U.S.C. 2258A(b)", "Contents of report"),
      ("s-2258a-e", "18 U.S.C. 2258A(e)", "Failure to report"), ("s-2258a-h", "18 U.S.C. 2258A(h)", "Preservation"),
      ("s-2258b", "18 U.S.C. 2258B", "Limited liability for providers")]),
    ("section-230", "Section 230", "Communications Decency Act, Section 230 (47 U.S.C. 230)", "us",
     "https://www.law.cornell.edu/uscode/text/47/230", "Immunity for interactive computer services for third-party content.",
     "shields interactive computer services from liability for content provided by others and for good-faith moderation",
     "the federal and state courts", "",
     [("s-230-c-1", "47 U.S.C. 230(c)(1)", "Treatment of publisher or speaker"),
      ("s-230-c-2", "47 U.S.C. 230(c)(2)", "Civil liability for good-faith moderation"),
      ("s-230-d", "47 U.S.C. 230(d)", "Obligations of interactive computer service"),
      ("s-230-e", "47 U.S.C. 230(e)", "Effect on other laws"), ("s-230-f", "47 U.S.C. 230(f)", "Definitions")]),
    ("ccpa", "CCPA", "California Consumer Privacy Act of 2018, as amended by the California Privacy Rights Act", "us-ca",
     "https://oag.ca.gov/privacy/ccpa", "Privacy rights for California residents and duties for businesses that collect their data.",
     "gives California residents rights to know, delete, correct and opt out of the sale or sharing of their data",
     "the California Privacy Protection Agency and the Attorney General", "",
     [("s-1798-100", "Civ. Code 1798.100", "General duties of businesses that collect personal information"),
      ("s-1798-105", "Civ. Code 1798.105", "Consumers' right to delete personal information"),
      ("s-1798-106", "Civ. Code 1798.106", "Consumers' right to correct inaccurate personal information"),
      ("s-1798-110", "Civ. Code 1798.110", "Consumers' right to know what personal information is being collected"),
      ("s-1798-120", "Civ. Code 1798.120", "Consumers' right to opt out of sale or sharing of personal information"),
      ("s-1798-121", "Civ. Code 1798.121", "Consumers' right to limit use and disclosure of sensitive personal information"),
      ("s-1798-125", "Civ. Code 1798.125", "Consumers' right of no retaliation"),
      ("s-1798-140", "Civ. Code 1798.140", "Definitions"), ("s-1798-185", "Civ. Code 1798.185", "Regulations")]),
    ("ca-ab-2013", "California AB 2013", "Generative Artificial Intelligence: Training Data Transparency (AB 2013, 2024)", "us-ca",
     "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202320240AB2013",
     "Requires developers of generative AI systems to publish documentation of their training data.",
     "requires developers of generative AI systems offered to Californians to document the data used to train them",
     "the California Attorney General", "",
     [("s-3110", "Civ. Code 3110", "Definitions"), ("s-3111", "Civ. Code 3111", "Training data documentation"),
      ("s-3111-a-1", "Civ. Code 3111(a)(1)", "Sources or owners of the datasets"),
      ("s-3111-a-4", "Civ. Code 3111(a)(4)", "Whether the datasets include copyrighted data"),
      ("s-3111-a-6", "Civ. Code 3111(a)(6)", "Whether the datasets include personal information")]),
    ("ca-ucl", "California Unfair Competition Law", "Business and Professions Code 17200 et seq.", "us-ca",
     "https://leginfo.legislature.ca.gov/faces/codes_displayText.xhtml?lawCode=BPC&division=7.&chapter=5.",
     "Prohibits unlawful, unfair or fraudulent business practices in California.",
     "prohibits unlawful, unfair or fraudulent business acts, and lets consumers and prosecutors seek injunctions and restitution",
     "the California Attorney General, district attorneys and private plaintiffs", "",
     [("s-17200", "B&P Code 17200", "Unfair competition defined"), ("s-17203", "B&P Code 17203", "Injunctive relief"),
      ("s-17204", "B&P Code 17204", "Actions for relief"), ("s-17206", "B&P Code 17206", "Civil penalty"),
      ("s-17208", "B&P Code 17208", "Limitation of actions")]),
    ("colorado-ai-act", "Colorado AI Act", "Consumer Protections for Artificial Intelligence (SB 24-205)", "us-co",
     "https://leg.colorado.gov/bills/sb24-205", "Duties to avoid algorithmic discrimination in high-risk AI systems.",
     "requires developers and deployers of high-risk AI systems to use reasonable care against algorithmic discrimination",
     "the Colorado Attorney General", "",
     [("s-6-1-1701", "C.R.S. 6-1-1701", "Definitions"), ("s-6-1-1702", "C.R.S. 6-1-1702", "Developer duty to avoid algorithmic discrimination"),
      ("s-6-1-1703", "C.R.S. 6-1-1703", "Deployer duty to avoid algorithmic discrimination"),
      ("s-6-1-1704", "C.R.S. 6-1-1704", "Disclosure of an artificial intelligence system to consumers"),
      ("s-6-1-1706", "C.R.S. 6-1-1706", "Enforcement by the attorney general")]),
    ("illinois-bipa", "Illinois BIPA", "Biometric Information Privacy Act (740 ILCS 14)", "us-il",
     "https://www.ilga.gov/legislation/ilcs/ilcs3.asp?ActID=3004", "Consent and retention rules for biometric identifiers.",
     "requires informed written consent before collecting biometric identifiers and gives individuals a private right of action",
     "the courts, through private actions", "",
     [("s-15-a", "740 ILCS 14/15(a)", "Retention schedule and destruction guidelines"),
      ("s-15-b", "740 ILCS 14/15(b)", "Informed written consent"), ("s-15-c", "740 ILCS 14/15(c)", "Prohibition on profiting"),
      ("s-15-d", "740 ILCS 14/15(d)", "Disclosure"), ("s-15-e", "740 ILCS 14/15(e)", "Storage and protection"),
      ("s-20", "740 ILCS 14/20", "Right of action")]),
    ("nyc-ll-144", "NYC Local Law 144", "Local Law 144 of 2021 on automated employment decision tools", "us-ny",
     "https://www.nyc.gov/site/dca/about/automated-employment-decision-tools.page",
     "Bias audits and notices for automated employment decision tools used in New York City.",
     "requires bias audits and candidate notices before automated tools are used in hiring or promotion",
     "the NYC Department of Consumer and Worker Protection", "",
     [("s-20-870", "Admin. Code 20-870", "Definitions"), ("s-20-871", "Admin. Code 20-871", "Requirements for automated employment decision tools"),
      ("s-20-872", "Admin. Code 20-872", "Penalties"), ("s-20-873", "Admin. Code 20-873", "Enforcement"),
      ("s-20-874", "Admin. Code 20-874", "Construction")]),
    ("pipeda", "PIPEDA", "Personal Information Protection and Electronic Documents Act (S.C. 2000, c. 5)", "ca",
     "https://laws-lois.justice.gc.ca/eng/acts/p-8.6/", "Canada's federal private-sector privacy law.",
     "requires meaningful consent and reasonable purposes for collecting, using and disclosing personal information",
     "the Office of the Privacy Commissioner of Canada", "",
     [("p-4-1", "Principle 4.1", "Accountability"), ("p-4-2", "Principle 4.2", "Identifying purposes"),
      ("p-4-3", "Principle 4.3", "Consent"), ("p-4-5", "Principle 4.5", "Limiting use, disclosure, and retention"),
      ("p-4-7", "Principle 4.7", "Safeguards"), ("p-4-9", "Principle 4.9", "Individual access"),
      ("s-5-3", "Section 5(3)", "Appropriate purposes")]),
    ("lgpd", "LGPD", "Lei Geral de Proteção de Dados Pessoais (Law No. 13,709/2018)", "br",
     "https://www.planalto.gov.br/ccivil_03/_ato2015-2018/2018/lei/l13709.htm", "Brazil's general data protection law.",
     "requires a legal basis for processing and gives data subjects rights including review of automated decisions",
     "the ANPD (National Data Protection Authority)", "",
     [("art-6", "Article 6", "Principles"), ("art-7", "Article 7", "Legal bases for processing"),
      ("art-11", "Article 11", "Processing of sensitive personal data"), ("art-14", "Article 14", "Processing of children's and adolescents' data"),
      ("art-18", "Article 18", "Rights of the data subject"), ("art-20", "Article 20", "Review of automated decisions"),
      ("art-33", "Article 33", "International transfer of data"), ("art-46", "Article 46", "Security and confidentiality")]),
    ("china-genai-measures", "Generative AI Interim Measures",
     "Interim Measures for the Management of Generative Artificial Intelligence Services (2023)", "cn",
     "https://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm", "Rules for generative AI services offered to the public in China.",
     "requires providers of public generative AI services to control content, protect user inputs and label generated content",
     "the Cyberspace Administration of China", "",
     [("art-4", "Article 4", "Content and conduct requirements"), ("art-7", "Article 7", "Training data"),
      ("art-9", "Article 9", "Provider responsibility"), ("art-10", "Article 10", "Preventing minors' over-reliance"),
      ("art-11", "Article 11", "Protection of user input information"), ("art-12", "Article 12", "Labelling of generated content"),
      ("art-14", "Article 14", "Handling of illegal content"), ("art-15", "Article 15", "Complaints and reporting")]),
    ("appi", "APPI", "Act on the Protection of Personal Information (Act No. 57 of 2003)", "jp",
     "https://www.ppc.go.jp/en/legal/", "Japan's personal information protection law.",
     "restricts use of personal information beyond its stated purpose and its provision to third parties",
     "the Personal Information Protection Commission", "",
     [("art-17", "Article 17", "Specifying the purpose of use"), ("art-18", "Article 18", "Restriction due to purpose of use"),
      ("art-20", "Article 20", "Proper acquisition"), ("art-27", "Article 27", "Restriction of provision to a third party"),
      ("art-28", "Article 28", "Restriction of provision to a third party in a foreign country"),
      ("art-33", "Article 33", "Disclosure")]),
    ("pdpa-sg", "Singapore PDPA", "Personal Data Protection Act 2012", "sg", "https://sso.agc.gov.sg/Act/PDPA2012",
     "Singapore's general data protection law.",
     "requires consent for collection, use and disclosure of personal data and limits overseas transfers",
     "the Personal Data Protection Commission", "",
     [("s-13", "Section 13", "Consent required"), ("s-18", "Section 18", "Limitation of purpose and extent"),
      ("s-21", "Section 21", "Access to personal data"), ("s-24", "Section 24", "Protection of personal data"),
      ("s-25", "Section 25", "Retention of personal data"), ("s-26", "Section 26", "Transfer of personal data outside Singapore")]),
    ("dpdp-act", "DPDP Act 2023", "Digital Personal Data Protection Act, 2023", "in",
     "https://www.meity.gov.in/data-protection-framework", "India's digital personal data protection law.",
     "requires notice and consent for processing digital personal data and verifiable parental consent for children",
     "the Data Protection Board of India", "",
     [("s-4", "Section 4", "Grounds for processing personal data"), ("s-5", "Section 5", "Notice"), ("s-6", "Section 6", "Consent"),
      ("s-8", "Section 8", "General obligations of data fiduciary"), ("s-9", "Section 9", "Processing of personal data of children"),
      ("s-12", "Section 12", "Right to correction and erasure of personal data"),
      ("s-16", "Section 16", "Processing of personal data outside India")]),
    ("au-privacy-act", "Privacy Act 1988", "Privacy Act 1988 (Cth) and the Australian Privacy Principles", "au",
     "https://www.legislation.gov.au/C2004A03712/latest/text", "Australia's federal privacy law.",
     "sets the Australian Privacy Principles for collecting, using, disclosing and transferring personal information",
     "the Office of the Australian Information Commissioner", "",
     [("app-1", "APP 1", "Open and transparent management of personal information"),
      ("app-3", "APP 3", "Collection of solicited personal information"), ("app-6", "APP 6", "Use or disclosure of personal information"),
      ("app-8", "APP 8", "Cross-border disclosure of personal information"), ("app-11", "APP 11", "Security of personal information"),
      ("app-12", "APP 12", "Access to personal information")]),
    ("oecd-ai-principles", "OECD AI Principles", "Recommendation of the Council on Artificial Intelligence (OECD/LEGAL/0449)",
     "global", "https://legalinstruments.oecd.org/en/instruments/OECD-LEGAL-0449",
     "Intergovernmental principles for trustworthy AI.", "sets out principles for trustworthy AI that many national laws build on",
     "no regulator; adhering governments", "",
     [("p-1-1", "Principle 1.1", "Inclusive growth, sustainable development and well-being"),
      ("p-1-2", "Principle 1.2", "Respect for the rule of law, human rights and democratic values"),
      ("p-1-3", "Principle 1.3", "Transparency and explainability"), ("p-1-4", "Principle 1.4", "Robustness, security and safety"),
      ("p-1-5", "Principle 1.5", "Accountability")]),
    ("coe-ai-convention", "Council of Europe AI Convention",
     "Council of Europe Framework Convention on Artificial Intelligence and Human Rights, Democracy and the Rule of Law (CETS No. 225)",
     "global", "https://www.coe.int/en/web/artificial-intelligence/the-framework-convention-on-artificial-intelligence",
     "The first binding international treaty on AI and human rights.",
     "requires parties to ensure AI activities respect human rights, democracy and the rule of law",
     "the parties to the Convention", "",
     [("art-4", "Article 4", "Protection of human rights"),
      ("art-5", "Article 5", "Integrity of democratic processes and respect for the rule of law"),
      ("art-8", "Article 8", "Transparency and oversight"), ("art-9", "Article 9", "Accountability and responsibility"),
      ("art-14", "Article 14", "Remedies"), ("art-16", "Article 16", "Risk and impact management framework")]),
]
REG = {r[0]: r for r in REGULATIONS}

CATEGORIES = [
    ("content-restrictions", "Content and use restrictions",
     "What users may not generate or do with the models: harmful content, dangerous capabilities, deception."),
    ("accounts-enforcement", "Accounts, changes and enforcement",
     "Who may use the service, how the platform changes its terms, and how it enforces them."),
    ("data-privacy", "Data and privacy", "What the platform does with users' inputs, outputs and personal data."),
    ("ip-outputs", "Intellectual property and outputs", "Who owns inputs and outputs, licences granted, and limits on reuse."),
    ("liability", "Liability and remedies", "Warranties, limits of liability, indemnities and the allocation of risk."),
    ("disputes", "Disputes and governing law", "Where and how disputes are resolved, and which law governs them."),
]
CATEGORY_REGS = {
    "content-restrictions": ["eu-ai-act", "dsa", "uk-osa", "section-230", "ftc-act", "china-genai-measures",
                             "oecd-ai-principles", "coe-ai-convention"],
    "accounts-enforcement": ["dsa", "eu-unfair-terms", "uk-osa", "uk-cra", "coppa", "ftc-act", "eu-ai-act", "ca-ucl"],
    "data-privacy": ["gdpr", "uk-gdpr", "ccpa", "eprivacy", "pipeda", "lgpd", "appi", "pdpa-sg", "dpdp-act",
                     "au-privacy-act", "eu-ai-act", "ca-ab-2013"],
    "ip-outputs": ["eu-dsm-copyright", "dmca", "eu-ai-act", "ca-ab-2013", "cfaa", "eu-unfair-terms"],
    "liability": ["eu-unfair-terms", "uk-cra", "eu-pld", "ftc-act", "ca-ucl", "section-230"],
    "disputes": ["faa", "eu-unfair-terms", "uk-cra", "ca-ucl", "dsa"],
}
CATEGORY_HEADINGS = {
    "content-restrictions": "Prohibited Uses", "accounts-enforcement": "Accounts, Changes, and Enforcement",
    "data-privacy": "Data and Privacy", "ip-outputs": "Intellectual Property and Outputs",
    "liability": "Disclaimers and Limitation of Liability", "disputes": "Dispute Resolution and Governing Law",
}

# Position families: (id, name, description, clause templates, summary templates). Positions run from most
# to least protective of users. Slots: {name} platform, {svc} "the Services", {a0}-{a2} acts, {topic},
# {cond}, {obj}, {data}, {Data}, {n}, {law}.
FAMILIES: dict[str, list[tuple[str, str, str, list[str], list[str]]]] = {
    "restriction": [
        ("prohibited", "Prohibited", "The use is banned outright, without exceptions.",
         ["You may not use {svc} to {a0}, {a1}, or {a2}.",
          "Do not use our models, or any output of them, to {a0} or to {a1}. This prohibition applies whatever the setting, including fiction, research, or role-play.",
          "The following uses are strictly prohibited: using {svc} to {a0}; to {a1}; or to {a2}, whether directly or through an application built on our API."],
         ["Bans any use of {name}'s services to {a0}.", "Prohibits using {name}'s models to {a0} or {a1}, with no exceptions."]),
        ("restricted", "Restricted", "Allowed only under conditions the platform sets, such as safeguards, review or prior approval.",
         ["You may not use {svc} to {a0} unless you have our prior written approval and have implemented the safeguards described in our documentation.",
          "Uses that could {a0} or {a1} are permitted only where you {cond}. We may ask you to demonstrate these measures at any time."],
         ["Allows uses that could {a0} only with prior approval and safeguards.",
          "Permits uses touching on {topic} only where the customer can {cond}."]),
        ("discretionary", "At the platform's discretion", "The platform decides case by case whether a use is allowed.",
         ["We may determine, in our sole discretion, whether any use of {svc} that could {a0} or {a1} is permitted, and we may restrict or remove such content at any time without liability to you."],
         ["Leaves it to {name} to decide case by case whether uses that could {a0} are allowed."]),
        ("permitted", "Permitted with conditions", "The use is expressly allowed, subject to general conditions.",
         ["Subject to applicable law and this policy, you may use {svc} in connection with {topic}, provided that you {cond} and do not {a0}."],
         ["Expressly allows uses involving {topic}, on condition that users {cond}."]),
    ],
    "consent": [
        ("not-done", "Not done", "The platform commits not to do it.",
         ["We do not {obj}. {Data} remain yours and are processed only to provide {svc} to you.",
          "{name} will not {obj}, except where you explicitly submit {data} to us as feedback."],
         ["Commits that {name} will not {obj}."]),
        ("opt-in", "Opt-in only", "Done only with the user's prior, affirmative choice.",
         ["We will only {obj} if you opt in through your account settings. You may withdraw this choice at any time, and withdrawal applies to {data} submitted after that date."],
         ["Lets {name} {obj} only if the user opts in."]),
        ("opt-out", "Opt-out", "Done by default; the user can switch it off.",
         ["We may {obj}. You can opt out at any time in your settings, but opting out does not affect {data} already used before your request was processed."],
         ["Allows {name} to {obj} unless the user opts out."]),
        ("no-choice", "No choice offered", "Done as a condition of using the service.",
         ["By using {svc}, you agree that we may {obj}, and you grant us the rights necessary to do so.",
          "You acknowledge that {name} may {obj} for any purpose consistent with this policy, and that this processing is necessary for us to provide {svc}."],
         ["Lets {name} {obj} without offering users a way to refuse."]),
    ],
    "retention": [
        ("short-fixed", "Short fixed period", "Data is deleted within weeks.",
         ["We retain {data} for no longer than {n} days, after which they are deleted from our systems unless we are legally required to keep them longer."],
         ["Deletes {data} within {n} days unless the law requires longer retention."]),
        ("long-fixed", "Long fixed period", "Data is kept for a stated period of months or years.",
         ["We keep {data} for up to {n} months from the date of collection. After that period they are deleted or irreversibly de-identified."],
         ["Keeps {data} for up to {n} months."]),
        ("as-needed", "As long as necessary", "No fixed period; the platform decides what is necessary.",
         ["We retain {data} for as long as necessary to provide {svc}, comply with our legal obligations, resolve disputes, and enforce our agreements."],
         ["Keeps {data} for as long as {name} considers necessary, with no fixed limit."]),
        ("indefinite", "Indefinite", "Data may be kept without limit, including after account deletion.",
         ["We may retain {data} indefinitely, including after you delete your account, in de-identified or aggregated form and in our backup systems."],
         ["Allows {name} to keep {data} indefinitely, even after the account is deleted."]),
    ],
    "transfer": [
        ("in-region", "Kept in region", "Data stays in the region the customer chooses.",
         ["{Data} are stored and processed in the region you select when you sign up, and are not transferred outside it except at your direction."],
         ["Keeps {data} in the region the customer selects."]),
        ("safeguarded", "Transfers with safeguards", "Data may leave the region under a recognised transfer mechanism.",
         ["We may transfer {data} to countries other than your own, including the United States. Where we do, we rely on standard contractual clauses or another lawful transfer mechanism."],
         ["Allows {name} to move {data} abroad, relying on standard contractual clauses or similar safeguards."]),
        ("unrestricted", "Unrestricted transfers", "Data may be processed anywhere, on the user's deemed consent.",
         ["You consent to the transfer, storage, and processing of {data} in any country where we or our service providers operate, which may have data protection laws different from those of your country."],
         ["Treats use of the service as consent to process {data} in any country."]),
    ],
    "output_ownership": [
        ("user-owns", "User owns outputs", "The user owns outputs; the platform assigns any rights it has.",
         ["As between you and {name}, and to the extent permitted by applicable law, you own all Outputs. We hereby assign to you all our right, title, and interest, if any, in and to Outputs."],
         ["Gives users ownership of outputs and assigns {name}'s rights in them."]),
        ("user-owns-with-licence", "User owns, platform licensed", "The user owns outputs but grants the platform a broad licence.",
         ["You retain ownership of Outputs, but you grant {name} a worldwide, non-exclusive, royalty-free licence to use, reproduce, and display Outputs to operate, improve, and promote {svc}."],
         ["Lets users own outputs while granting {name} a broad licence to use them."]),
        ("platform-owns", "Platform owns outputs", "The platform keeps rights in outputs; the user gets a licence.",
         ["{name} and its licensors retain all right, title, and interest in and to {svc} and all Outputs. You receive a limited, revocable licence to use Outputs for your internal purposes."],
         ["Keeps ownership of outputs with {name}, giving users only a revocable licence."]),
    ],
    "input_licence": [
        ("service-only", "Licence to provide the service", "A narrow licence, ending when the content is deleted.",
         ["You grant us a limited licence to process your Inputs solely to provide {svc} to you. This licence ends when you delete the Inputs or your account."],
         ["Takes only a narrow licence to user inputs, limited to providing the service."]),
        ("broad", "Broad licence", "A wide licence, including to improve the platform's services.",
         ["You grant {name} a worldwide, non-exclusive, royalty-free, sublicensable licence to use, copy, modify, and create derivative works of your Inputs in connection with operating and improving {svc}."],
         ["Takes a broad, sublicensable licence to user inputs for operating and improving the service."]),
        ("perpetual", "Perpetual, irrevocable licence", "A licence for any purpose that survives deletion.",
         ["You grant {name} a perpetual, irrevocable, worldwide, royalty-free licence to use, reproduce, modify, distribute, and create derivative works of any content you submit, for any purpose."],
         ["Takes a perpetual, irrevocable licence to everything users submit, for any purpose."]),
    ],
    "provider_indemnity": [
        ("broad", "Broad indemnity", "The platform defends customers against IP claims about the service and outputs.",
         ["{name} will defend you against any third-party claim alleging that {svc} or Outputs infringe that party's intellectual property rights, and will pay the resulting damages, costs, and settlements."],
         ["Commits {name} to defend customers against intellectual property claims over the service and its outputs."]),
        ("conditional", "Conditional indemnity", "An indemnity with conditions customers must meet.",
         ["We will defend and indemnify you against third-party claims that Outputs infringe intellectual property rights, provided that you used the default safety settings, did not modify the Outputs, and did not know or have reason to know that they were infringing."],
         ["Offers an intellectual property indemnity for outputs, subject to conditions on how they were produced."]),
        ("none", "No indemnity", "The customer bears all risk of infringing outputs.",
         ["{name} does not indemnify you for any claim arising from Outputs, and you are solely responsible for evaluating whether your use of Outputs infringes the rights of any third party."],
         ["Leaves users alone with the risk that outputs infringe third-party rights."]),
    ],
    "user_indemnity": [
        ("none", "No user indemnity", "Users are not asked to indemnify the platform.",
         ["Each party is responsible for its own acts and omissions, and nothing in these Terms requires you to indemnify {name} except as required by applicable law."],
         ["Does not ask users to indemnify {name}."]),
        ("breach-only", "Limited to breach", "Users indemnify only for their own breach or unlawful conduct.",
         ["You will indemnify {name} against third-party claims to the extent they arise from your material breach of these Terms or your violation of applicable law."],
         ["Requires users to indemnify {name} only for claims caused by their own breach or unlawful conduct."]),
        ("broad", "Broad indemnity", "Users indemnify the platform for anything arising from their use.",
         ["You agree to defend, indemnify, and hold harmless {name}, its affiliates, and their officers, directors, and employees from any claims, losses, and expenses, including legal fees, arising out of or relating to your use of {svc}, your content, or your violation of these Terms."],
         ["Requires users to indemnify {name} for any claim arising from their use of the service."]),
    ],
    "liability_cap": [
        ("uncapped", "Not limited", "Liability follows the general law.",
         ["Nothing in these Terms limits or excludes our liability for death or personal injury caused by negligence, for fraud, or for any other liability that cannot be limited by law, and our liability to consumers is not otherwise capped."],
         ["Leaves {name}'s liability to consumers uncapped."]),
        ("capped-fees", "Capped at fees paid", "Liability is capped at what the customer paid over a period.",
         ["To the maximum extent permitted by law, {name}'s total liability arising out of or relating to these Terms will not exceed the amounts you paid for {svc} in the twelve months before the event giving rise to the claim."],
         ["Caps {name}'s liability at the fees paid in the preceding twelve months."]),
        ("capped-nominal", "Capped at a nominal sum", "Liability is capped at a token amount.",
         ["To the maximum extent permitted by law, our aggregate liability for all claims relating to {svc} is limited to the greater of the amount you paid us in the past six months or one hundred US dollars."],
         ["Caps {name}'s liability at a nominal amount, as low as one hundred US dollars."]),
        ("excluded", "Excluded", "Whole heads of damage are excluded.",
         ["In no event will {name} be liable for any indirect, incidental, special, consequential, or punitive damages, or for any loss of profits, data, or goodwill, however caused and even if advised of the possibility of such damages."],
         ["Excludes {name}'s liability for indirect and consequential losses, including lost data and profits."]),
    ],
    "disclaimer": [
        ("warranted", "Limited warranty given", "The platform warrants conformity with its documentation.",
         ["We warrant that {obj} will perform materially in accordance with the applicable documentation, and we will use reasonable efforts to correct any non-conformity you report."],
         ["Gives a limited warranty that {obj} will perform as documented."]),
        ("as-is-statutory", "As is, statutory rights kept", "Disclaims warranties but preserves consumers' statutory rights.",
         ["Except as expressly stated in these Terms and without affecting your statutory rights as a consumer, {obj} are provided \u201cas is\u201d, and we make no other warranties of any kind."],
         ["Provides {obj} as is, while preserving consumers' statutory rights."]),
        ("as-is", "As is, all warranties disclaimed", "Disclaims every warranty, express or implied.",
         ["{Obj} are provided \u201cas is\u201d and \u201cas available\u201d, without warranties of any kind, express or implied, including warranties of merchantability, fitness for a particular purpose, accuracy, and non-infringement."],
         ["Disclaims all warranties for {obj}, including accuracy and fitness for purpose."]),
    ],
    "force_majeure": [
        ("mutual-with-exit", "Mutual, with a right to exit", "Either party is excused, and a long outage lets the customer leave.",
         ["Neither party is liable for failure to perform caused by events beyond its reasonable control; if such an event lasts more than thirty days, either party may terminate the affected services and you will receive a refund of prepaid fees."],
         ["Excuses both parties for events beyond their control and lets customers exit after thirty days."]),
        ("mutual", "Mutual", "Either party is excused for events beyond its control.",
         ["Neither party will be responsible for any delay or failure to perform resulting from causes beyond its reasonable control, including natural disasters, war, labour disputes, and failures of third-party infrastructure."],
         ["Excuses both parties for delays caused by events beyond their control."]),
        ("provider-only", "Platform only", "Only the platform is excused; payment obligations continue.",
         ["{name} is not liable for any failure or delay in performance caused by events beyond its reasonable control, and your payment obligations continue during any such event."],
         ["Excuses only {name} for events beyond its control, while customers keep paying."]),
    ],
    "arbitration": [
        ("courts", "Courts", "Disputes go to the courts, including the user's local courts.",
         ["Any dispute arising out of these Terms will be resolved by the competent courts, and nothing in these Terms prevents you from bringing a claim in the courts of the country where you live."],
         ["Sends disputes to the courts and keeps users' right to sue locally."]),
        ("arbitration-opt-out", "Arbitration with opt-out", "Binding arbitration, unless the user opts out in time.",
         ["You and {name} agree to resolve disputes through final and binding arbitration, except that you may opt out of this agreement to arbitrate by sending written notice within thirty days of first accepting these Terms."],
         ["Requires binding arbitration but lets users opt out within thirty days."]),
        ("mandatory-arbitration", "Mandatory arbitration", "Binding individual arbitration with no opt-out.",
         ["Any dispute, claim, or controversy arising out of or relating to these Terms or {svc} will be resolved by binding individual arbitration administered by the American Arbitration Association, and not in court."],
         ["Forces all disputes into binding individual arbitration, with no opt-out."]),
    ],
    "waiver": [
        ("not-waived", "Not waived", "The right is kept.",
         ["Nothing in these Terms waives your right {obj} where applicable law provides that right."],
         ["Keeps users' right {obj}."]),
        ("waived-with-exceptions", "Waived with exceptions", "The right is waived, with carve-outs.",
         ["To the extent permitted by law, you waive any right {obj}, except for claims that may be brought in small claims court or where such a waiver is prohibited in your country of residence."],
         ["Waives users' right {obj}, with exceptions for small claims and where the law forbids the waiver."]),
        ("waived", "Waived", "The right is waived entirely.",
         ["You and {name} each waive any right {obj}, and all claims must be brought in an individual capacity.",
          "YOU AND {name} EACH WAIVE ANY RIGHT {obj}, TO THE FULLEST EXTENT PERMITTED BY LAW."],
         ["Waives users' right {obj} entirely."]),
    ],
    "governing_law": [
        ("user-law", "User's local law", "The law of the user's country governs.",
         ["These Terms are governed by the laws of the country where you live, and you may bring proceedings in the courts of that country."],
         ["Applies the law of the user's own country."]),
        ("platform-law-consumer-rights", "Platform's law, consumer rights kept", "The platform's home law governs, without removing mandatory consumer protections.",
         ["These Terms are governed by the laws of {law}, without regard to conflict-of-law rules; if you are a consumer, you keep the protection of the mandatory laws of your country of residence."],
         ["Applies the law of {law} while keeping consumers' mandatory local protections."]),
        ("platform-law", "Platform's law only", "The platform's home law and courts govern exclusively.",
         ["These Terms and any dispute arising from them are governed exclusively by the laws of {law}, and you consent to the exclusive jurisdiction of the courts located there."],
         ["Applies only the law and courts of {law}."]),
    ],
    "claims_limit": [
        ("statutory", "Statutory period", "The ordinary limitation period applies.",
         ["You may bring a claim within the limitation period set by applicable law; these Terms do not shorten that period."],
         ["Leaves the statutory time limit for claims untouched."]),
        ("one-year", "One year", "Claims must be brought within a year.",
         ["Any claim arising out of or relating to these Terms must be filed within one year after the claim arose; otherwise, the claim is permanently barred."],
         ["Bars claims not brought within one year."]),
        ("under-one-year", "Less than a year", "Claims must be brought within months.",
         ["To the extent permitted by law, any claim relating to {svc} must be brought within six months after the cause of action accrues, or it is waived."],
         ["Bars claims not brought within six months."]),
    ],
    "changes": [
        ("consent-required", "Consent required", "Material changes need the user's consent.",
         ["We will not make material changes to these Terms that reduce your rights without your express consent; other changes take effect thirty days after we notify you."],
         ["Requires users' consent before changes that reduce their rights."]),
        ("advance-notice", "Advance notice", "Changes take effect after a notice period.",
         ["We may update these Terms from time to time. We will give you at least {n} days' notice of material changes, and your continued use of {svc} after that date means you accept them."],
         ["Lets {name} change the terms after {n} days' notice."]),
        ("on-posting", "Effective on posting", "Changes take effect as soon as they are posted.",
         ["We may modify these Terms at any time by posting the revised version on our website. Changes are effective immediately upon posting, and your continued use of {svc} constitutes acceptance."],
         ["Lets {name} change the terms at any time, effective on posting."]),
    ],
    "termination": [
        ("notice-and-cure", "Notice and a chance to cure", "The user is warned and may fix the problem first.",
         ["Before suspending or terminating your access for a breach, we will notify you and give you a reasonable opportunity to cure it, unless the breach creates an imminent risk of harm or legal liability."],
         ["Requires notice and a chance to cure before {name} suspends or terminates access."]),
        ("notice", "With notice", "The platform may act, but tells the user why.",
         ["We may suspend or terminate your access to {svc} if you breach these Terms, and we will tell you the reason for our decision where we are able to."],
         ["Lets {name} suspend or terminate for breach, with reasons where possible."]),
        ("immediate", "Immediate, without notice", "The platform may act at any time, for any reason.",
         ["We may suspend or terminate your account or access to {svc} at any time, for any reason or no reason, with or without notice, and without liability to you."],
         ["Lets {name} suspend or terminate accounts at any time, without notice or reason."]),
    ],
    "appeals": [
        ("external-review", "Appeal and external review", "An internal appeal and access to an independent body.",
         ["If we restrict your account or content, we will give you a statement of reasons. You can appeal through our internal complaint process and, if you are in the European Union, refer the matter to a certified out-of-court dispute settlement body."],
         ["Gives users reasons, an internal appeal and access to out-of-court dispute settlement."]),
        ("internal-appeal", "Internal appeal", "The user can ask the platform to reconsider.",
         ["If you believe we suspended your account or removed content in error, you may appeal the decision within {n} days through the form in your account settings. A different reviewer will consider your appeal."],
         ["Lets users appeal enforcement decisions to {name} within {n} days."]),
        ("no-appeal", "No appeal", "Decisions are final.",
         ["Enforcement decisions made under this policy are final. {name} is not obliged to explain or reconsider any decision to remove content or restrict access."],
         ["Makes {name}'s enforcement decisions final, with no appeal."]),
    ],
    "age": [
        ("adults-only", "Adults only", "Users must be 18 or older.",
         ["You must be at least 18 years old to use {svc}. We do not knowingly permit minors to create accounts, and we will close any account we learn belongs to a person under 18."],
         ["Limits the service to users aged 18 and over."]),
        ("teens-with-consent", "Teens with parental consent", "Users aged 13 to 17 need a parent's permission.",
         ["You must be at least 13 years old to use {svc}. If you are under 18, you may only use {svc} with the permission of a parent or legal guardian who agrees to these Terms on your behalf."],
         ["Admits users from 13, with parental consent for those under 18."]),
        ("thirteen-plus", "Thirteen and over", "Users aged 13 and over, with no further safeguard.",
         ["{svc} are available to users aged 13 and over. By using {svc}, you confirm that you meet this requirement."],
         ["Admits users from age 13, with no parental consent requirement."]),
    ],
}

R = "restriction"
# id, name, category, family, description, topic, slots, titles, base severity (0 high .. 2 low), extra regulations
CLAUSE_TYPES: list[tuple[Any, ...]] = [
    ("child-safety", "Child safety", "content-restrictions", R, "Restrictions protecting minors from sexual exploitation and abuse.",
     "the protection of minors", ("create, distribute, or promote child sexual abuse material, including AI-generated material",
                                  "facilitate the grooming, trafficking, or sexual exploitation of a minor",
                                  "sexualise minors, including in fictional settings or role-play"),
     ["Child safety protections", "Prohibition on child sexual abuse material", "Protection of minors"], 0,
     ["eu-csa-directive", "us-csam-reporting", "uk-osa", "dsa", "coppa"]),
    ("violent-extremism", "Violent extremism", "content-restrictions", R, "Restrictions on terrorism, violent extremism and incitement.",
     "violent extremism", ("promote, glorify, or facilitate acts of terrorism or violent extremism",
                           "recruit for, fund, or provide material support to violent extremist organisations",
                           "produce propaganda intended to incite violence"),
     ["Violent extremism prohibition", "Terrorism and violent extremism", "Incitement to violence"], 0, ["dsa", "uk-osa"]),
    ("weapons", "Weapons and CBRN", "content-restrictions", R, "Restrictions on weapons, including chemical, biological, radiological and nuclear weapons.",
     "weapons and dangerous materials", ("design, develop, or acquire biological, chemical, nuclear, or radiological weapons",
                                         "synthesise or obtain controlled precursors for weapons",
                                         "manufacture or modify firearms, explosives, or other weapons"),
     ["Weapons development prohibition", "CBRN weapons restrictions", "Dangerous weapons and materials"], 0, ["eu-ai-act"]),
    ("self-harm", "Suicide and self-harm", "content-restrictions", R, "Restrictions on content that promotes suicide, self-harm or eating disorders.",
     "suicide and self-harm", ("promote, encourage, or provide instructions for suicide or self-harm",
                               "encourage disordered eating or other dangerous behaviour",
                               "target vulnerable people with content that glorifies self-injury"),
     ["Self-harm content restrictions", "Suicide and self-harm", "Protection of vulnerable users"], 0, ["uk-osa", "dsa"]),
    ("hate-harassment", "Hate and harassment", "content-restrictions", R, "Restrictions on hateful, harassing and threatening content.",
     "hate and harassment", ("harass, threaten, bully, or intimidate any person",
                             "promote hatred or discrimination based on protected characteristics",
                             "publish private information about individuals without their consent"),
     ["Hate speech and harassment", "Harassment and threats", "Hateful conduct prohibition"], 1, None),
    ("sexual-content", "Sexual content", "content-restrictions", R, "Rules on sexually explicit content and non-consensual intimate imagery.",
     "sexual content", ("generate sexually explicit content without appropriate age verification",
                        "create non-consensual intimate imagery of a real person",
                        "facilitate commercial sexual services"),
     ["Sexually explicit content", "Non-consensual intimate imagery", "Adult content rules"], 1, None),
    ("misinformation", "Misinformation and deception", "content-restrictions", R, "Restrictions on disinformation and fabricated content.",
     "disinformation", ("generate or spread disinformation designed to mislead the public",
                        "fabricate evidence, documents, or quotations attributed to real people",
                        "conduct coordinated inauthentic behaviour"),
     ["Disinformation restrictions", "Deceptive content", "Fabricated evidence prohibition"], 1, None),
    ("election-integrity", "Election integrity", "content-restrictions", R, "Restrictions on political campaigning and election interference.",
     "elections and political campaigning", ("interfere with the conduct or outcome of elections",
                                             "impersonate candidates, officials, or election authorities",
                                             "discourage participation in voting through false information"),
     ["Election integrity", "Political campaigning restrictions", "Election interference"], 1, None),
    ("malicious-code", "Malicious code and cyberattacks", "content-restrictions", R, "Restrictions on malware, hacking and other cyber abuse.",
     "cybersecurity", ("create, test, or distribute malware, ransomware, or other malicious code",
                       "gain unauthorised access to computer systems or networks",
                       "develop tools to evade security controls or detection"),
     ["Malware and cyberattacks", "Cybersecurity abuse", "Malicious code prohibition"], 1, ["cfaa", "nis2"]),
    ("fraud-scams", "Fraud and scams", "content-restrictions", R, "Restrictions on fraud, scams and financial crime.",
     "fraud and financial crime", ("conduct fraud, scams, or phishing campaigns",
                                   "generate fake reviews or fraudulent financial documents",
                                   "facilitate money laundering or other financial crime"),
     ["Fraud and scams", "Deceptive commercial practices", "Financial crime"], 1, ["ca-ucl"]),
    ("impersonation", "Impersonation and synthetic media", "content-restrictions", R, "Rules on impersonation, deepfakes and undisclosed AI interaction.",
     "impersonation and synthetic media", ("impersonate a person or organisation without clear disclosure",
                                           "create synthetic media depicting real people without their consent",
                                           "mislead people into believing they are interacting with a human"),
     ["Impersonation and deepfakes", "Synthetic media disclosure", "Impersonation prohibition"], 1, None),
    ("regulated-advice", "High-risk and regulated uses", "content-restrictions", R, "Rules on legal, medical and financial advice and consequential decisions.",
     "regulated professional advice and consequential decisions",
     ("provide tailored legal, medical, or financial advice without review by a qualified professional",
      "make automated decisions about credit, employment, or housing without human oversight",
      "practise a regulated profession without the required licence"),
     ["High-risk use restrictions", "Regulated advice", "Automated decision-making limits"], 1, ["colorado-ai-act", "nyc-ll-144", "gdpr"]),
    ("military-surveillance", "Military and surveillance uses", "content-restrictions", R, "Rules on weapons systems, military targeting and mass surveillance.",
     "military and surveillance uses", ("develop or deploy weapons systems or military targeting",
                                        "conduct mass surveillance or unlawful tracking of individuals",
                                        "build facial recognition databases through untargeted scraping"),
     ["Military and warfare uses", "Surveillance restrictions", "Defence and national security uses"], 0, None),
    ("safety-circumvention", "Safety circumvention", "accounts-enforcement", R, "Restrictions on bypassing safety features and enforcement.",
     "safety features", ("circumvent, disable, or interfere with safety features or content filters",
                         "jailbreak the models through prompt injection or similar techniques",
                         "create multiple accounts to evade enforcement actions"),
     ["Circumvention of safety features", "Jailbreaking prohibition", "Evading enforcement"], 1, None),
    ("age-requirements", "Age requirements", "accounts-enforcement", "age", "Minimum ages and parental consent for using the service.",
     "minors' access", {}, ["Minimum age", "Age requirements", "Eligibility and age"], 1, ["coppa", "gdpr", "dpdp-act"]),
    ("unilateral-changes", "Changes to terms", "accounts-enforcement", "changes", "How and when the platform may change its terms.",
     "changes to the terms", {}, ["Changes to these terms", "Modification of terms", "Updates to the agreement"], 1, None),
    ("termination-suspension", "Termination and suspension", "accounts-enforcement", "termination", "When the platform may suspend or close accounts.",
     "account suspension and termination", {}, ["Suspension and termination", "Termination for breach", "Account termination"], 1, None),
    ("enforcement-appeals", "Enforcement appeals", "accounts-enforcement", "appeals", "Whether users can contest enforcement decisions.",
     "appeals against enforcement", {}, ["Appeals process", "Review of enforcement decisions", "Complaints and appeals"], 2, ["dsa", "uk-osa"]),
    ("training-on-user-data", "Training on user data", "data-privacy", "consent", "Whether user inputs and outputs are used to train models.",
     "model training", {"obj": "use your prompts, files, and outputs to train and improve our models",
                        "data": "your prompts, files, and outputs"},
     ["Use of content for model training", "Training on user data", "Model improvement"], 0, ["ca-ab-2013"]),
    ("human-review", "Human review of conversations", "data-privacy", "consent", "Whether staff or contractors may read user conversations.",
     "human review of conversations", {"obj": "allow authorised personnel and contractors to review your conversations",
                                       "data": "your conversations"},
     ["Human review of conversations", "Access by staff", "Manual review of content"], 1, None),
    ("data-sharing", "Sharing with third parties", "data-privacy", "consent", "Whether personal data is shared with or sold to third parties.",
     "sharing of personal data", {"obj": "share your personal information with advertising and analytics partners",
                                  "data": "your personal information"},
     ["Sharing with third parties", "Disclosure to partners", "Sale and sharing of personal data"], 1, None),
    ("biometric-data", "Biometric data", "data-privacy", "consent", "Collection and use of voice prints, face geometry and other biometrics.",
     "biometric data", {"obj": "collect and analyse biometric identifiers such as voiceprints and face geometry from content you upload",
                        "data": "biometric identifiers"},
     ["Biometric data", "Voice and face data", "Biometric identifiers"], 0, ["illinois-bipa"]),
    ("personalised-ads", "Personalised advertising", "data-privacy", "consent", "Use of conversations and profile data for advertising.",
     "personalised advertising", {"obj": "use information from your conversations to personalise the advertising you see",
                                  "data": "your conversation history"},
     ["Personalised advertising", "Advertising and profiling", "Ad targeting"], 1, ["eprivacy"]),
    ("data-retention", "Data retention", "data-privacy", "retention", "How long inputs, outputs and account data are kept.",
     "data retention", {"data": "your inputs and outputs"}, ["Data retention", "Retention of conversations", "Storage period"], 1, None),
    ("deleted-data", "Retention after deletion", "data-privacy", "retention", "What happens to data after the user deletes it or closes the account.",
     "deletion of user data", {"data": "deleted conversations and account data"},
     ["Retention after deletion", "Account deletion", "Deleted content"], 1, None),
    ("cross-border-transfer", "International transfers", "data-privacy", "transfer", "Where data is stored and whether it leaves the user's region.",
     "international data transfers", {"data": "your personal data"},
     ["International data transfers", "Cross-border transfers", "Data location"], 1, None),
    ("output-ownership", "Ownership of outputs", "ip-outputs", "output_ownership", "Who owns what the model generates.",
     "ownership of outputs", {}, ["Ownership of outputs", "Rights in generated content", "Output ownership"], 1, None),
    ("input-licence", "Licence to user content", "ip-outputs", "input_licence", "The rights users grant the platform in what they submit.",
     "licences to user content", {}, ["Licence to your content", "Rights you grant us", "Content licence"], 1, None),
    ("ip-indemnity", "Intellectual property indemnity", "ip-outputs", "provider_indemnity", "Whether the platform defends customers against infringement claims.",
     "intellectual property claims", {}, ["Intellectual property indemnity", "Copyright shield", "Indemnity for outputs"], 1, None),
    ("model-distillation", "Competing models", "ip-outputs", R, "Restrictions on using outputs to build competing models.",
     "model development", ("use Outputs to develop models that compete with our products",
                           "extract model weights or training data through systematic querying",
                           "train, fine-tune, or distil other models on Outputs without our permission"),
     ["Competing model restriction", "Distillation prohibition", "Use of outputs for training"], 2, None),
    ("reverse-engineering", "Reverse engineering", "ip-outputs", R, "Restrictions on reverse engineering, scraping and extraction.",
     "reverse engineering and scraping", ("reverse engineer, decompile, or disassemble any part of the Services",
                                          "discover the source code, model weights, or underlying components of our systems",
                                          "scrape or otherwise extract data from the Services by automated means"),
     ["Reverse engineering", "Scraping and extraction", "Technical restrictions"], 2, ["cfaa", "dmca"]),
    ("limitation-of-liability", "Limitation of liability", "liability", "liability_cap", "Caps and exclusions of the platform's liability.",
     "limits on liability", {}, ["Limitation of liability", "Liability cap", "Exclusion of damages"], 0, None),
    ("warranty-disclaimer", "Warranty disclaimer", "liability", "disclaimer", "Whether the service comes with any warranty.",
     "warranties", {"obj": "the Services"}, ["Disclaimer of warranties", "Warranty disclaimer", "No warranties"], 1, None),
    ("output-accuracy", "Accuracy of outputs", "liability", "disclaimer", "Disclaimers about the accuracy and reliability of outputs.",
     "the accuracy of outputs", {"obj": "Outputs"}, ["Accuracy of outputs", "No reliance on outputs", "Output reliability"], 1, None),
    ("user-indemnification", "User indemnification", "liability", "user_indemnity", "Whether users must indemnify the platform.",
     "indemnities given by users", {}, ["Your indemnity", "Indemnification by users", "Hold harmless"], 1, None),
    ("force-majeure", "Force majeure", "liability", "force_majeure", "Who is excused when events beyond control intervene.",
     "force majeure", {}, ["Force majeure", "Events beyond control", "Excused performance"], 2, None),
    ("arbitration", "Arbitration", "disputes", "arbitration", "Whether disputes go to court or to arbitration.",
     "dispute resolution", {}, ["Binding arbitration", "Dispute resolution", "Agreement to arbitrate"], 0, None),
    ("class-action-waiver", "Class action waiver", "disputes", "waiver", "Whether users may join class or collective actions.",
     "collective redress", {"obj": "to bring or participate in a class or representative action"},
     ["Class action waiver", "No class actions", "Collective actions"], 0, None),
    ("jury-trial-waiver", "Jury trial waiver", "disputes", "waiver", "Whether users keep the right to a jury trial.",
     "jury trials", {"obj": "to a trial by jury"}, ["Jury trial waiver", "Waiver of jury trial"], 1, None),
    ("governing-law", "Governing law and venue", "disputes", "governing_law", "Which law governs and where disputes are heard.",
     "governing law", {}, ["Governing law", "Choice of law and venue", "Jurisdiction"], 1, None),
    ("claims-time-limit", "Time limit for claims", "disputes", "claims_limit", "Contractual deadlines for bringing claims.",
     "time limits for claims", {}, ["Time limit for claims", "Limitation period", "Deadline to bring claims"], 2, None),
]

DOC_KINDS = {  # kind: (titles, category weights)
    "terms-of-service": (["Terms of Service", "Terms of Use", "Consumer Terms"],
                         {"liability": 3, "disputes": 3, "accounts-enforcement": 3, "ip-outputs": 2, "data-privacy": 1, "content-restrictions": 1}),
    "usage-policy": (["Usage Policy", "Acceptable Use Policy"], {"content-restrictions": 8, "accounts-enforcement": 2, "ip-outputs": 1}),
    "privacy-policy": (["Privacy Policy", "Privacy Notice"], {"data-privacy": 9, "accounts-enforcement": 1}),
    "api-terms": (["API Terms", "Developer Terms"],
                  {"ip-outputs": 3, "liability": 2, "data-privacy": 2, "content-restrictions": 2, "accounts-enforcement": 2, "disputes": 1}),
    "enterprise-terms": (["Enterprise Agreement", "Commercial Terms"],
                         {"liability": 3, "ip-outputs": 3, "data-privacy": 2, "disputes": 2, "accounts-enforcement": 1}),
    "model-licence": (["Model Licence", "Community Licence Agreement"], {"ip-outputs": 4, "content-restrictions": 3, "liability": 2}),
    "developer-policy": (["Developer Policy", "Platform Policy"], {"content-restrictions": 3, "accounts-enforcement": 3, "data-privacy": 2, "ip-outputs": 1}),
    "service-terms": (["Service Terms", "Service Specific Terms"],
                      {"liability": 2, "accounts-enforcement": 2, "data-privacy": 2, "ip-outputs": 2, "disputes": 1}),
    "other": (["Community Guidelines", "Safety Standards", "Transparency Commitments"], {"content-restrictions": 3, "accounts-enforcement": 2, "data-privacy": 1}),
}
EXTRA_KINDS = ["api-terms", "enterprise-terms", "model-licence", "developer-policy", "service-terms", "other", "privacy-policy"]
EXTRA_KIND_WEIGHTS = [5, 4, 2, 3, 3, 2, 2]

HQ_WEIGHTS = [("us-ca", 40), ("us", 15), ("uk", 8), ("fr", 5), ("de", 5), ("ie", 3), ("ca", 4), ("cn", 6), ("jp", 3),
              ("sg", 3), ("in", 3), ("br", 2), ("au", 2), ("us-ny", 3)]
OPERATOR_FORMS = {"us-ca": ["{r} Inc.", "{r} Labs, Inc.", "{r} Technologies LLC"], "us": ["{r} Inc.", "{r} Corporation"],
                  "us-ny": ["{r} Inc."], "uk": ["{r} Ltd", "{r} Technologies Limited"], "fr": ["{r} SAS"], "de": ["{r} GmbH", "{r} AG"],
                  "ie": ["{r} Ireland Limited"], "ca": ["{r} Corp.", "{r} Inc."], "cn": ["{r} Technology Co., Ltd."],
                  "jp": ["{r} K.K."], "sg": ["{r} Pte. Ltd."], "in": ["{r} Private Limited"], "br": ["{r} Ltda."], "au": ["{r} Pty Ltd"]}

NAME_HEADS = ["Nex", "Or", "Val", "Quil", "Ster", "Lum", "Cor", "Aeth", "Zen", "Hal", "Mir", "Syn", "Ver", "Cal", "Ton", "Ar",
              "Bel", "Dra", "Eld", "Fen", "Gal", "Ix", "Jor", "Kel", "Lyr", "Mon", "Nov", "Oct", "Pax", "Quor", "Rho", "Sol",
              "Tal", "Umb", "Vex", "Wren", "Xan", "Yor", "Zep", "Ast", "Brio", "Cyn", "Dex", "Ely", "Fae", "Gry", "Hex", "Io"]
NAME_MIDS = ["a", "o", "i", "e", "ora", "ari", "eo", "iu", "ex", "yn", "", "", "", "u", "ae"]
NAME_TAILS = ["ra", "nix", "lis", "tek", "mind", "ly", "va", "sys", "gen", "core", "loop", "wave", "forge", "scale", "stack",
              "mark", "on", "is", "ent", "ium", "ara", "ios", "et", "ex"]
NAME_SUFFIXES = [" AI", " AI", " AI", " Labs", "", "", " Intelligence", " Cloud", " Studio", " Systems", ".ai", " Research"]
OFFERINGS = ["large language models", "image and video generation models", "speech recognition and synthesis models",
             "an AI coding assistant", "enterprise search and retrieval tools", "open-weight foundation models",
             "a conversational assistant", "AI agents for customer support", "multimodal models", "machine translation models",
             "AI companions", "document analysis tools"]
CHANNELS = ["a public API", "consumer apps for web and mobile", "cloud marketplaces", "an enterprise platform",
            "downloadable model weights", "a developer platform and SDKs", "browser extensions", "integrations with office software"]

AUTHORS = ["Governance Atlas editors", "A. Okafor", "M. Lindqvist", "R. Banerjee", "S. Moreau", "J. Castillo", "K. Nakamura",
           "E. Walsh", "T. Adeyemi", "L. Fischer", "P. Rossi", "D. Kowalski", "N. Haddad", "C. Oliveira", "H. Tanaka",
           "F. Mensah", "G. Novak", "I. Petrov", "V. Duarte", "Y. Cohen", "B. Sørensen", "O. Nwosu", "W. Zhang", "Z. Karimi"]
AI_NOTES_TRUE = ["First draft generated with an AI assistant, then rewritten and checked against the snapshot by the author.",
                 "An AI tool suggested regulatory mappings; the author verified each article.",
                 "AI assistance was used to summarise the clause; the analysis was written by the author."]
AI_NOTES_FALSE = ["Written without AI assistance.", "No AI tools were used in drafting this record."]

# ---------------------------------------------------------------------------------------------------------
# Text banks for the analysis fields. Slots: {name} {doc} {ctn} {topic} {posn} {posd} {reg1} {reg2} {does1}
# {does2} {auth1} {auth2} {jur1} {jur2} {flag1} {flag2} {level} {Level} {title}
# ---------------------------------------------------------------------------------------------------------
WHY = [
    "The clause takes the {posn} position on {ctn}: {posd}",
    "It sets how {name} allocates the risks around {topic} between itself, its business customers, and end users.",
    "Because it sits in the {doc}, it binds everyone who accepts that document, including developers who build products on {name}'s models.",
    "Organisations relying on {name} should read it together with the rest of the {doc}, since related definitions and enforcement terms live elsewhere in the document.",
    "The wording leaves {name} considerable room to interpret the clause when it enforces it.",
    "{reg1} makes this more than a private matter: a regulator may treat the clause as evidence of how {name} manages {topic}.",
    "For a deployer, the practical question is whether its own terms and controls reflect the clause, because breaches by its users count as its own.",
    "The clause is short, but it is one of the terms in the {doc} most likely to be relied on in a dispute.",
]
WHY_STANCE = ["Of the positions platforms take on {ctn}, this one is the most protective of users.",
              "The position sits between the strictest and the most permissive approaches to {ctn}.",
              "This is the least protective of the positions a {ctn} clause can take."]
IMPACT = [
    "A breach can lead to warnings, suspension, or termination of the account, usually without a refund of prepaid fees.",
    "Users who build on the API carry the clause through to their own customers.",
    "Anyone relying on {name} for work touching on {topic} should keep records showing how they stayed within the clause.",
    "The clause applies whether the user reaches {name} through its consumer apps or through the API.",
    "Users are rarely told when the clause changes, so it is worth checking the {doc} before relying on it.",
    "Individual users have little room to negotiate the clause; business customers may be able to vary it in an order form.",
]
IMPACT_STANCE = ["For an individual user, the clause offers stronger protection than many comparable services.",
                 "For an individual user, the clause offers some protection, subject to conditions that {name} controls.",
                 "For an individual user, the clause offers limited protection and leaves most of the discretion to {name}."]
SUMMARY_SCOPE = ["The {doc} applies it to every user and every API customer alike.",
                 "It is part of the {doc} as currently published.",
                 "The clause reads the same for consumers and for business customers.",
                 "{name} may rely on it without notice to the user concerned."]
NOTES = [
    "The clause does not define several of its key terms, so the boundary of {topic} is left to {name}'s reading.",
    "It is unclear whether the clause covers outputs that a user did not explicitly request.",
    "The clause interacts with other sections of the {doc}; where they conflict, the document does not say which prevails.",
    "Our reading follows the version of the {doc} quoted here; earlier versions used different wording.",
    "How the clause is enforced in practice is not public, so this analysis describes what the text permits rather than what {name} does.",
    "Mandatory consumer law in {jur1} may override parts of the clause, which the text itself does not acknowledge.",
]
LANDSCAPE = [
    "{reg1} is the main instrument engaged: it {does1}.",
    "{reg2} also bears on the clause: it {does2}.",
    "Enforcement sits with {auth1}, and for {reg2} with {auth2}.",
    "Regulators increasingly treat {ctn} terms as part of how a platform governs {topic}, not as private contract terms alone.",
    "Where {name} acts as a processor or service provider for business customers, the split of duties between {name} and the deploying organisation decides who answers to {auth1}.",
    "Guidance from authorities in {jur1} points in the same direction, although none addresses this wording directly.",
]
EXPOSURE = {
    "high": ["An organisation that deploys {name} in customer-facing products inherits the consequences of the clause directly, and a breach by its users can end its access to the service.",
             "Exposure is highest where the deployer cannot see how its users interact with the models.",
             "The clause also bears on the deployer's own regulatory duties, so a breach can have consequences beyond the contract."],
    "medium": ["The clause shifts some risk to deploying organisations, but the exposure can be managed with ordinary contractual and technical controls.",
               "Organisations with mature vendor-management processes will already cover most of what the clause requires.",
               "Exposure grows with the volume of end-user traffic routed through {name}."],
    "low": ["The clause creates little direct exposure for organisations relying on {name}, because it mostly restates obligations that exist in law anyway.",
            "The residual risk lies in how {name} chooses to enforce it.",
            "Few deployers will need to change their practices because of it."],
}
FLAGS_TAIL = ["The clause itself does not distinguish between jurisdictions.", "Elsewhere the clause applies as written.",
              "Deployers serving users in several regions should apply the strictest reading."]
CONTRACT = [
    "Procurement teams should confirm that {name}'s enterprise agreement does not override the clause in ways that matter to them.",
    "Deployers should flow the clause down into their own end-user terms, so that they can enforce it against the people who actually use the service.",
    "Where the clause conflicts with a customer's own commitments, negotiate an amendment before signing rather than relying on informal assurances.",
    "Record which version of the {doc} was accepted, since {name} may change it.",
    "Check whether the clause survives termination of the agreement and whether it extends to affiliates.",
    "Ask {name} for evidence of how the clause is enforced, such as audit logs or transparency reports.",
]
CONSIDER = [
    "Map the clause to internal policies on {topic} and assign an owner to monitor changes to it.",
    "Document the assessment in the vendor risk register, including the position {name} takes and why it is acceptable.",
    "Review the clause again whenever {name} publishes a new version of the {doc}.",
    "Train the teams who configure or prompt the models on what the clause forbids or allows.",
    "Where {reg1} applies, keep evidence that the organisation's use stays within both the clause and the regulation.",
    "Set up a process for user complaints and incidents that touch on {topic}.",
]
RATIONALE = ["The clause concerns {topic}, which {reg} addresses: it {does}.",
             "{reg} {does}, so the way {name} words this clause affects how deployers meet it.",
             "A regulator applying {reg} would look at this clause when assessing how {topic} is handled."]
ELABORATIONS = [
    ("This section applies to all Inputs, Outputs, and fine-tuned models, and to any content generated through an integration.", "inputs, outputs and fine-tuned models"),
    ("We may investigate suspected violations and may suspend or terminate access without prior notice.", "investigation and suspension"),
    ("Capitalised terms used in this section have the meanings given in the Definitions section.", "defined terms"),
    ("These obligations apply to you and to anyone who accesses the Services through your account.", "users of the same account"),
    ("If you use the Services on behalf of an organisation, that organisation is bound by this section.", "organisational users"),
    ("Where local law grants you additional rights, nothing in this section limits those rights.", "rights under local law"),
    ("We may update the technical measures that support this section as our Services evolve.", "technical measures"),
    ("Requests under this section can be sent to the contact address listed at the end of this document.", "how to send requests"),
    ("Our enforcement of this section may rely on automated systems as well as human review.", "automated enforcement"),
    ("This section survives any termination or expiry of your agreement with us.", "survival after termination"),
    ("Failure to comply with this section is a material breach of these Terms.", "material breach"),
    ("Developers must ensure that their own end-user terms are at least as protective as this section.", "flow-down to end users"),
]
LEADS = ["Without limiting the general restrictions above, the following also applies.", "In addition:",
         "For the avoidance of doubt, this paragraph applies to every plan.", "The following terms apply to you."]
UNAVAILABLE = ["The clause text could not be captured: the section is rendered by a script the archiving tool did not run.",
               "The clause sits behind a login wall, so its wording could not be archived.",
               "The archived page truncated this section; the wording could not be recovered."]
CHANGE_ADDED = ["The clause first appeared in the version of the {doc} captured on {d}.",
                "Added as part of a wider revision of the {doc}."]
CHANGE_REMOVED = ["The clause was taken out of the {doc}.", "Removed in a restructuring of the {doc}; no replacement clause was found."]
CHANGE_UNARCHIVED = "The intermediate wording was seen on the live page but was not archived before it changed again."

# Boilerplate for the bulk of each snapshot.
F_SUBJ = ["You", "The Customer", "Each party", "Authorised Users", "The receiving party", "Any user of the Services"]
F_WE_SUBJ = ["We", "The Company", "Our service providers"]
F_DUTY_MODAL = ["must", "shall", "will", "should"]
F_FORBID_MODAL = ["may not", "must not", "shall not"]
F_FORBID = ["assign or transfer rights under this Agreement without prior written consent",
            "disclose Confidential Information to any third party except as permitted by this section",
            "resell, sublicense, or lease access to the Services", "share API keys with anyone outside the Customer's organisation",
            "exceed the rate limits or quotas stated in the Documentation", "use the Services in violation of applicable law",
            "remove or obscure any proprietary notices in the Services or Documentation",
            "access the Services in order to build a competing product"]
F_VERB = ["maintain the confidentiality of account credentials", "provide accurate and complete registration information",
          "pay all fees when due in accordance with the applicable order form", "comply with all applicable export control and sanctions laws",
          "notify the other party promptly of any security incident", "use commercially reasonable efforts to prevent unauthorised access",
          "retain records of usage for the period required by law", "provide notice through the contact details associated with the account",
          "process personal data only on documented instructions", "make available the information reasonably necessary to demonstrate compliance",
          "protect Confidential Information with at least reasonable care", "cooperate in good faith to resolve any billing dispute",
          "keep API keys secure and rotate them if they are exposed", "provide reasonable cooperation in the investigation of suspected misuse",
          "review the Documentation before deploying an integration", "return or destroy Confidential Information on termination"]
F_WE = ["suspend access to the affected features during scheduled maintenance", "update the Services to improve performance, security, and functionality",
        "charge applicable taxes in addition to the Fees", "offer service credits where the service level commitments are not met",
        "rely on third-party infrastructure providers to host the Services", "use aggregated and de-identified data to analyse usage trends",
        "send service announcements and administrative messages", "monitor usage to ensure compliance with rate limits and quotas",
        "respond to support requests within the published response times", "change or discontinue Beta Features at any time"]
F_QUAL = ["", " in accordance with these Terms", " to the extent permitted by applicable law", " at its own expense",
          " within thirty (30) days of the relevant request", " unless otherwise agreed in writing", " during the term of this Agreement",
          " as described in the applicable Documentation", " subject to the limitations set out below", " without undue delay"]
F_START = ["", "", "", "Except as expressly provided otherwise, ", "Where required by law, ", "In addition, ", "For clarity, ",
           "Notwithstanding the foregoing, ", "Upon request, ", "From time to time, ", "Subject to Section {k}, "]
F_TERMS = [("Account", "the account you create to access the Services"), ("Content", "Inputs and Outputs, together"),
           ("Documentation", "the technical and usage guides we make available"), ("Order Form", "any ordering document that references these Terms"),
           ("Fees", "the amounts payable for the Services as set out in the Order Form or on our pricing page"),
           ("Affiliate", "any entity that controls, is controlled by, or is under common control with a party"),
           ("Personal Data", "any information relating to an identified or identifiable natural person"),
           ("Service Level", "the availability commitment described in the Documentation"),
           ("Beta Features", "features identified as preview, beta, or experimental"),
           ("End User", "any person who accesses an application built with the Services"),
           ("Inputs", "prompts, files, and other materials you submit to the Services"),
           ("Outputs", "content generated by the Services in response to Inputs")]
F_FIXED = ["If any provision of these Terms is held unenforceable, the remaining provisions remain in full force and effect.",
           "These Terms constitute the entire agreement between the parties regarding their subject matter and supersede all prior agreements.",
           "No failure or delay in exercising any right under these Terms operates as a waiver of that right.",
           "Headings are for convenience only and do not affect the interpretation of these Terms.",
           "The words \u201cinclude\u201d and \u201cincluding\u201d are not words of limitation.",
           "Notices to us must be sent to the legal department at the address listed below.",
           "Nothing in these Terms creates a partnership, joint venture, agency, or employment relationship between the parties.",
           "You may not assign these Terms without our prior written consent; we may assign them to an Affiliate or a successor.",
           "Beta Features are provided for evaluation only and may be changed or discontinued at any time.",
           "Fees are non-refundable except as expressly stated in these Terms or required by law.",
           "We will provide reasonable advance notice of any increase in Fees.",
           "Our collection and use of personal information is described in our Privacy Policy."]
GENERIC_HEADINGS = ["Introduction and Acceptance", "Definitions", "Eligibility", "Description of the Services", "Fees and Payment",
                    "Confidentiality", "Third-Party Services", "Feedback", "Export Controls and Sanctions", "Security",
                    "Support and Service Levels", "Beta Features", "Notices", "General Provisions", "Contact Information",
                    "Information We Collect", "How We Use Information", "Your Choices", "Cookies and Similar Technologies",
                    "Reporting Concerns"]
MD_HEADINGS = ["What the clause says", "How it compares", "What deployers should do", "Open questions", "Background",
               "Practical effect", "Enforcement in practice"]


# ---------------------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------------------

# Records are written by a small block-style emitter: pyyaml's dumper (even the C one, whose representer is
# Python) took 55 % of the run time. The emitter writes what pyyaml would: strings plain where that is safe
# under both YAML 1.1 and 1.2 resolution, otherwise single-quoted (double-quoted only for control
# characters); dates single-quoted, as CONTRIBUTING.md asks; long scalars folded at 100 columns.
# yaml_dump_reference() is the pyyaml equivalent; the tests check that both load to the same data.
WIDTH = 100
_PLAIN_FIRST = re.compile(r"[A-Za-z(\u00c0-\uffff]")  # never an indicator, digit, sign, dot or quote
_KEYWORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})


def _scalar(value: Any) -> tuple[str, bool]:
    """The scalar's text and whether it may be folded across lines."""
    if value is True:
        return "true", False
    if value is False:
        return "false", False
    if isinstance(value, int):
        return str(value), False
    s = str(value)
    if not s.isprintable():  # control characters, tabs, line and paragraph separators, BOM
        import json
        return json.dumps(s), False  # \uXXXX escapes: valid YAML, and no raw line separators
    if (not s or not _PLAIN_FIRST.match(s) or ": " in s or " #" in s or s[-1] in ": " or s.lower() in _KEYWORDS):
        return "'" + s.replace("'", "''") + "'", "  " not in s
    return s, "  " not in s


def _fold(text: str, column: int, indent: str) -> str:
    """Break text at single spaces so that lines stay within WIDTH (a long word may overrun)."""
    if column + len(text) <= WIDTH:
        return text
    lines = []
    start, room = 0, WIDTH - column
    n = len(text)
    while n - start > room:
        cut = text.rfind(" ", start + 1, start + room + 1)
        while cut > start and text[cut + 1] in "#-?:' ":
            cut = text.rfind(" ", start + 1, cut)
        if cut <= start:
            cut = text.find(" ", start + room + 1)
            while cut != -1 and text[cut + 1] in "#-?:' ":
                cut = text.find(" ", cut + 1)
            if cut == -1:
                break
        lines.append(text[start:cut])
        start = cut + 1
        room = WIDTH - len(indent)
    lines.append(text[start:])
    return ("\n" + indent).join(lines)


_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    text = _KEYS.get(key)
    if text is None:
        text = _KEYS[key] = _scalar(key)[0]
    return text


def _emit_map(obj: dict, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for key, value in obj.items():
        key = _key(key)
        prefix = first_prefix if first_prefix is not None else pad
        first_prefix = None
        if isinstance(value, dict):
            out.append(f"{prefix}{key}:\n")
            _emit_map(value, indent + 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{prefix}{key}: []\n")
                continue
            out.append(f"{prefix}{key}:\n")
            for item in value:
                if isinstance(item, dict):
                    _emit_map(item, indent + 2, out, pad + "- ")
                else:
                    text, foldable = _scalar(item)
                    if foldable:
                        text = _fold(text, indent + 2, pad + "  ")
                    out.append(f"{pad}- {text}\n")
        else:
            text, foldable = _scalar(value)
            if foldable:
                text = _fold(text, len(prefix) + len(key) + 2, pad + "  ")
            out.append(f"{prefix}{key}: {text}\n")


def yaml_text(data: dict) -> str:
    out: list[str] = []
    _emit_map(data, 0, out)
    return "".join(out)


_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """pyyaml's C safe dumper, without anchors/aliases (the loader rejects them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def yaml_dump_reference(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH)


def dump_yaml(schema: str, data: dict) -> bytes:
    return (f"# yaml-language-server: $schema={SCHEMA_URL.format(schema)}\n" + yaml_text(data)).encode("utf-8")


def dump_front_matter(data: dict, body: str) -> bytes:
    return ("---\n" + yaml_text(data) + "---\n\n" + body).encode("utf-8")


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self._dirs: set[str] = set()

    def write(self, rel: str, data: bytes) -> None:
        folder = rel.rpartition("/")[0]
        if folder and folder not in self._dirs:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._dirs.add(folder)
        with open(self.root / rel, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)


def _prepare_out(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    existing = [p for p in (out / "content", out / "data") if p.exists()]
    if existing and not (out / MARKER).exists():
        raise SystemExit(f"{out} already holds content/ or data/ not written by this generator; choose an empty folder")
    for p in existing:
        shutil.rmtree(p)
    (out / MARKER).write_text("Generated by bench/corpus.py; content/ and data/ are replaced on every run.\n")


# ---------------------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------------------

def _split(total: int, parts: int, rng: random.Random, sigma: float) -> list[int]:
    """Split total into parts counts, each >= 1, with log-normal weights (some big, many small)."""
    counts = [1] * parts
    rest = total - parts
    if rest > 0:
        weights = [rng.lognormvariate(0.0, sigma) for _ in range(parts)]
        for i in rng.choices(range(parts), weights=weights, k=rest):
            counts[i] += 1
    return counts


def _platform_name(rng: random.Random) -> tuple[str, str]:
    root = rng.choice(NAME_HEADS) + rng.choice(NAME_MIDS) + rng.choice(NAME_TAILS)
    root = root[0] + root[1:].lower()
    return root + rng.choice(NAME_SUFFIXES), root


def _filler_pool(seed: int, size: int = 2500) -> tuple[list[str], list[int]]:
    rng = random.Random(f"{seed}/pool")
    paras = []
    for _ in range(size):
        sents = []
        for _ in range(rng.randint(2, 6)):
            r = rng.random()
            if r < 0.62:
                start = rng.choice(F_START).replace("{k}", str(rng.randint(1, 18)))
                r2 = rng.random()
                if r2 < 0.3:
                    subj, modal, verb = rng.choice(F_WE_SUBJ), "may", rng.choice(F_WE)
                elif r2 < 0.55:
                    subj, modal, verb = rng.choice(F_SUBJ), rng.choice(F_FORBID_MODAL), rng.choice(F_FORBID)
                else:
                    subj, modal, verb = rng.choice(F_SUBJ), rng.choice(F_DUTY_MODAL), rng.choice(F_VERB)
                if start and subj != "Authorised Users":
                    subj = subj[0].lower() + subj[1:]
                sents.append(f"{start}{subj} {modal} {verb}{rng.choice(F_QUAL)}.")
            elif r < 0.75:
                term, meaning = rng.choice(F_TERMS)
                sents.append(f"\u201c{term}\u201d means {meaning}.")
            else:
                sents.append(rng.choice(F_FIXED))
        paras.append(" ".join(sents))
    return paras, [p.count(" ") + 1 for p in paras]


class _Vocab:
    """Pre-digested vocabulary shared by all platforms."""

    def __init__(self) -> None:
        self.cat_ids = [c[0] for c in CATEGORIES]
        self.types_by_cat: dict[str, list[tuple]] = {c: [] for c in self.cat_ids}
        self.positions: dict[str, list[tuple]] = {}
        for ct in CLAUSE_TYPES:
            self.types_by_cat[ct[2]].append(ct)
            self.positions[ct[0]] = FAMILIES[ct[3]]
        self.regs_for: dict[str, list[str]] = {}
        for ct in CLAUSE_TYPES:
            regs = list(ct[9] or []) + [r for r in CATEGORY_REGS[ct[2]] if r not in (ct[9] or [])]
            self.regs_for[ct[0]] = regs


def _pick(rng: random.Random, bank: list[str], lo: int, hi: int, ctx: dict) -> str:
    k = min(len(bank), rng.randint(lo, hi))
    return " ".join(t.format_map(ctx) for t in rng.sample(bank, k))


def _render_main(template: str, ctx: dict) -> str:
    text = template.format_map(ctx)
    return text.upper() if text.startswith("YOU AND") else text  # conspicuous capitals, as US terms print waivers


def _clause_text(rng: random.Random, ctx: dict, templates: list[str]) -> tuple[str, list[int]]:
    """Base clause text and the elaborations appended (indices into ELABORATIONS), 100-420 characters."""
    main = _render_main(rng.choice(templates), ctx)
    elabs: list[int] = []
    target = rng.randint(100, 300)
    order = rng.sample(range(len(ELABORATIONS)), len(ELABORATIONS))
    length = len(main)
    for i in order:
        if length >= target and length >= 100:
            break
        extra = len(ELABORATIONS[i][0]) + 1
        if length + extra > 420:
            break
        elabs.append(i)
        length += extra
    return main, elabs


def _join_clause(main: str, elabs: list[int]) -> str:
    return " ".join([main] + [ELABORATIONS[i][0] for i in elabs])


class _PlatformGen:
    """Generates one platform folder from its own random stream."""

    def __init__(self, vocab: _Vocab, pool: list[str], pool_words: list[int], writer: _Writer) -> None:
        self.v = vocab
        self.pool = pool
        self.pool_words = pool_words  # words per pool paragraph
        self.avg_words = sum(pool_words) / len(pool_words)
        self.w = writer

    # -- platform ----------------------------------------------------------------------------------------
    def run(self, rng: random.Random, pslug: str, name: str, root: str, doc_sizes: list[int]) -> tuple[list, dict]:
        hq = rng.choices([h for h, _ in HQ_WEIGHTS], [w for _, w in HQ_WEIGHTS])[0]
        operator = rng.choice(OPERATOR_FORMS[hq]).format(r=root)
        website = f"https://www.{pslug}.example"
        desc = f"{name} develops {rng.choice(OFFERINGS)} and offers them through {rng.choice(CHANNELS)}"
        if rng.random() < 0.5:
            desc += f" and {rng.choice(CHANNELS)}"
        desc += "."
        if rng.random() < 0.4:
            desc += f" Its policies are published by {operator}" + ("" if operator.endswith(".") else ".")
        platform: dict[str, Any] = {"name": name}
        if rng.random() < 0.8:
            platform["operator"] = operator
        platform["website"] = website
        platform["description"] = desc
        aliases = [a for a in dict.fromkeys([f"{root} Chat", f"{root} API", f"{root}-{rng.randint(2, 5)}", f"{root} Assistant"])]
        k = rng.choice([0, 1, 1, 2, 2, 3])
        if k:
            platform["aliases"] = rng.sample(aliases, k)
        platform["headquarters"] = hq
        self.w.write(f"content/{pslug}/platform.yaml", dump_yaml("platform", platform))

        # Documents: the first is the terms, the second the usage policy, the rest drawn from other kinds.
        kinds = ["terms-of-service", "usage-policy"]
        while len(kinds) < len(doc_sizes):
            kinds.append(rng.choices(EXTRA_KINDS, EXTRA_KIND_WEIGHTS)[0])
        if len(doc_sizes) >= 2 and rng.random() < 0.3:
            kinds[0], kinds[1] = kinds[1], kinds[0]
        used: set[str] = set()
        index: list = []
        counts = {"documents": 0, "versions": 0, "provisions": 0, "removed": 0, "provision_md": 0, "changes": 0}
        law = JUR[hq][5]
        base = {"name": name, "svc": "the Services", "law": law}
        for size, kind in zip(doc_sizes, kinds[:len(doc_sizes)], strict=True):
            title = rng.choice(DOC_KINDS[kind][0])
            dslug = unique_slug(slugify(title), used)
            self._document(rng, pslug, dslug, kind, title, website, size, base, index, counts)
        return index, counts

    # -- document ----------------------------------------------------------------------------------------
    def _document(self, rng: random.Random, pslug: str, dslug: str, kind: str, short_title: str, website: str,
                  size: int, base: dict, index: list, counts: dict) -> None:
        title = f"{base['name']} {short_title}"
        folder = f"content/{pslug}/{dslug}"
        url = f"{website}/legal/{dslug}"
        # Versions: 1-3 captures, oldest first, all before AS_OF.
        k = rng.choices((1, 2, 3), (35, 35, 30))[0]
        d0 = rng.randint(START + 20, AS_OF - 60)
        later = sorted(rng.sample(range(d0 + 10, AS_OF - 1), min(k - 1, max(0, AS_OF - 11 - d0))))
        dates = [d0] + later
        k = len(dates)
        doc_verified = rng.randint(dates[-1], AS_OF)

        # Provisions: clause types weighted by the document kind's categories.
        weights = DOC_KINDS[kind][1]
        cats = list(weights)
        cat_w = [weights[c] for c in cats]
        remaining = {c: rng.sample(self.v.types_by_cat[c], len(self.v.types_by_cat[c])) for c in cats}
        pslugs: set[str] = set()
        provs = []
        for _ in range(size):
            cat = rng.choices(cats, cat_w)[0]
            if not remaining[cat]:
                remaining[cat] = rng.sample(self.v.types_by_cat[cat], len(self.v.types_by_cat[cat]))
            ct = remaining[cat].pop()
            provs.append(self._plan_provision(rng, ct, dates, pslugs, base, title))

        # Snapshot layout: sections with filler paragraphs and provision slots.
        target_words = rng.triangular(3300, 11600, 5200)
        prov_words = sum(p["words"] for p in provs)
        n_fill = max(12, int((target_words - prov_words - 40) / self.avg_words))
        cat_order = list(dict.fromkeys(p["cat"] for p in provs))
        headings = rng.sample(GENERIC_HEADINGS, rng.randint(5, 10))
        if "Definitions" in headings:
            headings.remove("Definitions")
            headings.insert(0, "Definitions")
        sections: list[list] = [[h, []] for h in headings]
        cat_section = {}
        for c in cat_order:
            pos = rng.randint(1, len(sections)) if len(sections) > 1 else len(sections)
            sections.insert(pos, [CATEGORY_HEADINGS[c], []])
        for i, s in enumerate(sections):
            if s[0] in CATEGORY_HEADINGS.values():
                cat_section[next(c for c, h in CATEGORY_HEADINGS.items() if h == s[0])] = i
        npool = len(self.pool)
        intro = [rng.randrange(npool) for _ in range(2)]
        for s in sections:
            s[1].append(("f", rng.randrange(npool)))
        for _ in range(max(0, n_fill - len(sections) - 2)):
            rng.choice(sections)[1].append(("f", rng.randrange(npool)))
        for i, p in enumerate(provs):
            slots = sections[cat_section[p["cat"]]][1]
            slots.insert(rng.randint(0, len(slots)), ("p", i))

        # Render each version; later versions edit some filler paragraphs.
        versions = []
        for vi, d in enumerate(dates):
            if vi:
                for s in sections:
                    new = []
                    for slot in s[1]:
                        r = rng.random()
                        if slot[0] == "f" and r < 0.015:
                            continue  # paragraph dropped
                        if slot[0] == "f" and r < 0.07:
                            slot = ("f", rng.randrange(npool))  # paragraph rewritten
                        new.append(slot)
                        if r > 0.985:
                            new.append(("f", rng.randrange(npool)))  # paragraph added
                    s[1] = new
            self._fit_words(rng, sections, intro, provs, vi)
            last_updated = rng.randint(max(START, d - 60), d)
            effective = min(END, last_updated + rng.choice((0, 0, 0, 14, 30)))
            blocks = [title, f"Last updated: {long_date(last_updated)}"]
            if effective != last_updated:
                blocks.append(f"Effective date: {long_date(effective)}")
            blocks.extend(self.pool[i] for i in intro)
            n = 0
            for heading, slots in sections:
                n += 1
                blocks.append(f"{n}. {heading}")
                m = 0
                for kind_, ref in slots:
                    if kind_ == "f":
                        m += 1
                        blocks.append(f"{n}.{m} {self.pool[ref]}")
                        continue
                    p = provs[ref]
                    text = p["texts"][vi]
                    if text is None:
                        continue
                    m += 1
                    p["labels"][vi] = f"Section {n}.{m}"
                    blocks.append(f"{n}.{m} {p['lead']}{text}{p['trail']}")
            data = ("\n\n".join(blocks) + "\n").encode("utf-8")
            snap = f"snapshots/{iso(d)}.txt"
            self.w.write(f"{folder}/{snap}", data)
            version: dict[str, Any] = {"captured": iso(d), "snapshot": snap, "sha256": hashlib.sha256(data).hexdigest()}
            if rng.random() < 0.15:
                version["source_url"] = f"{url}?version={iso(d)}"
            if rng.random() < 0.85:
                version["archive_url"] = f"https://web.archive.org/web/{iso(d).replace('-', '')}000000/{url}"
            version["last_updated"] = iso(last_updated)
            if effective != last_updated or rng.random() < 0.5:
                version["effective"] = iso(effective)
            if rng.random() < 0.25:
                version["note"] = rng.choice(["Captured from the rendered page; navigation and footer removed.",
                                              "Captured from the PDF linked from the page.",
                                              "The page showed a cookie banner, which was removed from the text."])
            versions.append(version)

        document = {"title": title, "kind": kind, "url": url,
                    "description": f"The {short_title} of {base['name']}: {self._doc_desc(kind)}",
                    "versions": versions}
        self.w.write(f"{folder}/document.yaml", dump_yaml("document", document))
        counts["documents"] += 1
        counts["versions"] += len(versions)

        for p in provs:
            self._write_provision(rng, p, pslug, dslug, folder, dates, doc_verified, title, index, counts)

    def _fit_words(self, rng: random.Random, sections: list, intro: list[int], provs: list, vi: int,
                   lo: int = 3150, hi: int = 11800) -> None:
        """Add or drop filler paragraphs until the version's text is 3,000-12,000 words long."""
        pw = self.pool_words
        words = 30 + sum(pw[i] for i in intro)
        fillers = []
        for si, (heading, slots) in enumerate(sections):
            words += heading.count(" ") + 2
            for kind_, ref in slots:
                if kind_ == "f":
                    words += pw[ref] + 1
                    fillers.append((si, ref))
                else:
                    p = provs[ref]
                    if p["texts"][vi] is not None:
                        words += p["texts"][vi].count(" ") + p["extra_words"] + 2
        while words < lo:
            ref = rng.randrange(len(self.pool))
            slots = rng.choice(sections)[1]
            slots.insert(rng.randint(0, len(slots)), ("f", ref))
            words += pw[ref] + 1
        while words > hi and fillers:
            si, ref = fillers.pop(rng.randrange(len(fillers)))
            sections[si][1].remove(("f", ref))
            words -= pw[ref] + 1

    @staticmethod
    def _doc_desc(kind: str) -> str:
        return {"terms-of-service": "the contract between the platform and everyone who uses its services.",
                "usage-policy": "what users and developers may not do with the models and services.",
                "privacy-policy": "how the platform collects, uses and shares personal data.",
                "api-terms": "the terms for developers who use the API.",
                "enterprise-terms": "the terms for business customers on commercial plans.",
                "model-licence": "the licence for downloadable model weights.",
                "developer-policy": "rules for developers who build on the platform.",
                "service-terms": "terms that apply to particular services.",
                "other": "commitments and guidelines published alongside the main terms."}[kind]

    # -- provision lifecycle -------------------------------------------------------------------------------
    def _plan_provision(self, rng: random.Random, ct: tuple, dates: list[int], used: set[str], base: dict, doc: str) -> dict:
        ctname, cat, family = ct[1], ct[2], ct[3]
        positions = FAMILIES[family]
        npos = len(positions)
        pi = rng.choices(range(npos), [4, 3, 2, 1][:npos] if npos == 4 else [4, 3, 2][:npos])[0]
        pos = positions[pi]
        ctx = dict(base)
        ctx["doc"] = doc
        if family == R:
            a = list(ct[6])
            rng.shuffle(a)
            ctx["a0"], ctx["a1"], ctx["a2"] = a
            ctx["cond"] = rng.choice(["clearly disclose to end users that content is AI-generated",
                                      "keep a human in the loop before outputs are published or acted on",
                                      "comply with all applicable laws and obtain any required consents",
                                      "keep records sufficient to demonstrate compliance",
                                      "implement age verification and content filtering appropriate to your audience"])
        else:
            ctx.update(ct[6])
            if "data" in ctx:
                ctx["Data"] = cap(ctx["data"])
            if "obj" in ctx:
                ctx["Obj"] = cap(ctx["obj"])
        ctx["n"] = rng.choice({"retention": (14, 30, 45), "changes": (14, 30), "appeals": (14, 30, 60)}.get(family, (30,)))
        if family == "retention" and pi == 1:
            ctx["n"] = rng.choice((12, 18, 24, 36))
        ctx["topic"] = ct[5]
        ctx["ctn"] = lc_first(ctname)
        ctx["posn"] = lc_first(pos[1])
        ctx["posd"] = lc_first(pos[2])

        main, elabs = _clause_text(rng, ctx, pos[3])
        k = len(dates)
        i0 = rng.randint(1, k - 1) if k > 1 and rng.random() < 0.15 else 0
        removed_at = rng.randint(i0 + 1, k - 1) if k - i0 >= 2 and rng.random() < 0.042 else None
        end = removed_at if removed_at is not None else k
        texts: list[str | None] = [None] * k
        changes = []  # (kind, version index, previous text, summary, unarchived intermediate?)
        cur_main, cur_elabs = main, list(elabs)
        text = _join_clause(cur_main, cur_elabs)
        for vi in range(i0, end):
            if vi > i0 and rng.random() < 0.25:
                # One edit; kept only if the clause stays 150-600 characters long.
                r = rng.random()
                spare = [i for i in range(len(ELABORATIONS)) if i not in cur_elabs]
                new_main, new_elabs = cur_main, cur_elabs
                alt = [t for t in pos[3] if _render_main(t, ctx) != cur_main]
                if r < 0.3 and alt:
                    new_main = _render_main(rng.choice(alt), ctx)
                    summary = "Reworded the clause; its position is unchanged."
                elif r < 0.6 and cur_elabs:
                    e = cur_elabs[-1]
                    new_elabs = cur_elabs[:-1]
                    summary = f"Removed the sentence on {ELABORATIONS[e][1]}, narrowing the clause."
                else:
                    e = rng.choice(spare)
                    new_elabs = cur_elabs + [e] if rng.random() < 0.7 else [e] + cur_elabs
                    summary = f"Added a sentence on {ELABORATIONS[e][1]}."
                candidate = _join_clause(new_main, new_elabs)
                if candidate != text and 150 <= len(candidate) <= 600:
                    changes.append(("modified", vi, text, summary))
                    cur_main, cur_elabs, text = new_main, new_elabs, candidate
            texts[vi] = text
        if i0 > 0:
            changes.insert(0, ("added", i0, None, None))
        if removed_at is not None:
            changes.append(("removed", removed_at, text, None))

        title = rng.choice(ct[7])
        if rng.random() < 0.12:
            title += rng.choice([" for API customers", " in consumer apps", " (enterprise)", " for developers"])
        slug = unique_slug(slugify(title), used)
        lead = trail = ""
        if rng.random() < 0.4:
            lead = rng.choice(LEADS) + " "
        if rng.random() < 0.3:
            trail = " " + rng.choice(F_FIXED)
        extra_words = (lead.count(" ") + trail.count(" ")) if lead or trail else 0
        words = max(len(t) for t in texts if t) // 6 + extra_words + 2
        return {"extra_words": extra_words, "ct": ct, "cat": cat, "pi": pi, "pos": pos, "ctx": ctx, "texts": texts, "i0": i0, "removed_at": removed_at,
                "changes": changes, "title": title, "slug": slug, "lead": lead, "trail": trail, "words": words,
                "labels": [None] * k}

    # -- provision record ----------------------------------------------------------------------------------
    def _write_provision(self, rng: random.Random, p: dict, pslug: str, dslug: str, folder: str, dates: list[int],
                         doc_verified: int, doc: str, index: list, counts: dict) -> None:
        ct, pos, ctx, pi = p["ct"], p["pos"], p["ctx"], p["pi"]
        ctid = ct[0]
        npos = len(FAMILIES[ct[3]])
        stance = 0 if pi == 0 else (2 if pi == npos - 1 else 1)
        present = [vi for vi, t in enumerate(p["texts"]) if t is not None]
        last_vi = present[-1]
        first_seen = dates[p["i0"]]
        last_verified = doc_verified

        # Regulations and jurisdictions.
        regs = self.v.regs_for[ctid]
        nreg = rng.choice((1, 1, 2, 2, 2, 3))
        head = regs[: max(2, len(ct[9] or []))]
        chosen = rng.sample(head, min(len(head), rng.randint(1, 2)))
        for r in rng.sample(regs, len(regs)):
            if len(chosen) >= nreg:
                break
            if r not in chosen:
                chosen.append(r)
        reg1, reg2 = REG[chosen[0]], REG[chosen[-1] if len(chosen) > 1 else rng.choice(regs)]
        jurs = list(dict.fromkeys(REG[r][3] for r in chosen))
        extra_j = rng.choice(["eu", "us", "uk", "us-ca", "ca", "br", "in"])
        if extra_j not in jurs and rng.random() < 0.4:
            jurs.append(extra_j)
        jurs = jurs[:3]
        j1 = JUR[jurs[0]]
        j2 = JUR[jurs[1]] if len(jurs) > 1 else JUR[rng.choice(["eu", "us", "uk"])]
        ctx.update(reg1=reg1[1], reg2=reg2[1], does1=reg1[6], does2=reg2[6], auth1=reg1[7], auth2=reg2[7],
                   jur1=JUR_PHRASE[j1[0]], jur2=JUR_PHRASE[j2[0]], title=p["title"])
        severity = ("high", "medium", "low")[min(2, max(0, ct[8] + rng.choice((-1, 0, 0, 0, 1)) - (1 if stance == 2 and rng.random() < 0.3 else 0)))]
        level = rng.choices(("high", "medium", "low"), {"high": (6, 3, 1), "medium": (2, 6, 2), "low": (1, 3, 6)}[severity])[0]
        ctx["level"], ctx["Level"] = level, cap(level)

        summary = rng.choice(pos[4]).format_map(ctx)
        if rng.random() < 0.6:
            summary += " " + rng.choice(SUMMARY_SCOPE).format_map(ctx)
        why = _pick(rng, WHY, 1, 3, ctx) + " " + WHY_STANCE[stance].format_map(ctx)
        impact = IMPACT_STANCE[stance].format_map(ctx) + " " + _pick(rng, IMPACT, 1, 2, ctx)

        # Excerpt.
        r = rng.random()
        status = "verbatim" if r < 0.9 else ("paraphrase" if r < 0.97 else "unavailable")
        cite = last_vi
        if len(present) > 1 and rng.random() < 0.1:
            # An older version only where the clause has not changed since: quoting the text a later change
            # replaced is a data-quality warning (stale-excerpt), which a realistic corpus has few of.
            cite = rng.choice(present[:-1])
            if cite < max((vi for _, vi, *_ in p["changes"]), default=0):
                cite = last_vi
        if status == "verbatim":
            ex_text = p["texts"][cite]
        elif status == "paraphrase":
            ex_text = "In substance: " + summary[0].lower() + summary[1:]
        else:
            ex_text = rng.choice(UNAVAILABLE)

        compliance = {
            "regulatory_landscape": _pick(rng, LANDSCAPE, 2, 3, ctx) if rng.random() < 0.5 else
            LANDSCAPE[0].format_map(ctx) + " " + _pick(rng, LANDSCAPE[1:], 1, 2, ctx),
            "governance_exposure": {"level": level, "text": f"{cap(level)}. " + _pick(rng, EXPOSURE[level], 1, 3, ctx)},
            "jurisdiction_flags": {"jurisdictions": jurs,
                                   "text": " ".join(f"In {JUR_PHRASE[j]}, {JUR[j][4]}." for j in jurs[:1]) + " " + rng.choice(FLAGS_TAIL)},
            "contract_implications": _pick(rng, CONTRACT, 1, 3, ctx),
            "compliance_considerations": _pick(rng, CONSIDER, 1, 3, ctx),
        }
        reg_maps = []
        for rid in chosen:
            reg = REG[rid]
            arts = rng.sample(reg[9], min(len(reg[9]), rng.choice((1, 1, 2, 2, 3))))
            rc = {"reg": reg[1], "does": reg[6], "topic": ctx["topic"], "name": ctx["name"]}
            rationale = rng.choice(RATIONALE).format_map(rc)
            if rng.random() < 0.6:
                rationale += f" {arts[0][1]} ({arts[0][2]}) is the most directly relevant provision."
            reg_maps.append({"regulation": rid, "articles": [a[0] for a in arts], "rationale": rationale})

        # Change records.
        changes_out = []
        floor = first_seen
        for i, (kind, vi, prev, csum) in enumerate(p["changes"]):
            detected = dates[vi]
            rec: dict[str, Any] = {"kind": kind, "detected": iso(detected)}
            if (kind == "modified" and vi >= 1 and dates[vi] - dates[vi - 1] > 20
                    and len(p["changes"]) + len(changes_out) - i < 3 and rng.random() < 0.12):
                # Two changes between captures: the first one's wording was never archived.
                mid = rng.randint(dates[vi - 1] + 1, dates[vi] - 10)
                first = {"kind": "modified", "detected": iso(mid), "summary": "Revised the wording of the clause.",
                         "previous_text": prev}
                changes_out.append(first)
                floor = mid
                rec["summary"] = csum
                rec["previous_text_unavailable"] = CHANGE_UNARCHIVED
                changes_out.append(rec)
                continue
            if kind != "added" and rng.random() < 0.6:
                rec["announced"] = iso(max(floor, detected - rng.randint(0, 21)))
            if rng.random() < (0.7 if kind != "added" else 0.3):
                rec["effective"] = iso(min(END, detected + rng.choice((0, 0, 7, 14, 30, 45))))
            if kind == "added":
                rec["summary"] = rng.choice(CHANGE_ADDED).format(doc=doc, d=long_date(detected))
            elif kind == "removed":
                rec["summary"] = rng.choice(CHANGE_REMOVED).format(doc=doc)
                rec["previous_text"] = prev
            else:
                rec["summary"] = csum
                rec["previous_text"] = prev
            changes_out.append(rec)
            floor = detected
        counts["changes"] += len(changes_out)

        faq = [{"question": f"What does {ctx['name']}'s {lc_first(p['title'])} clause do?",
                "answer": summary + " " + WHY[rng.randrange(1, len(WHY))].format_map(ctx)}]
        extra_q = [
            ("Does this clause apply to API customers?",
             "Yes. The clause sits in the {doc}, which binds developers using the API as well as users of the consumer apps, unless a separate agreement says otherwise."),
            ("Can {name} change this clause?",
             "Yes. Like the rest of the {doc}, the clause can be changed by {name}. The change records on this page show what has changed so far."),
            ("Which laws are relevant to this clause?",
             "{reg1} is the main instrument; the applicable regulations on this page list the articles engaged and why."),
            ("How does this clause affect me as a user?", IMPACT_STANCE[stance]),
            ("Is the quoted text the current wording?",
             "The excerpt is taken from an archived snapshot of the {doc}; the provision details show which version it quotes."),
        ]
        for q, a in rng.sample(extra_q, rng.choice((0, 1, 1, 2))):
            faq.append({"question": q.format_map(ctx), "answer": a.format_map(ctx)})

        written = rng.randint(first_seen, last_verified)
        reviewers = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            reviewers.append({"name": rng.choice(AUTHORS[1:]), "date": iso(min(AS_OF, written + rng.randint(0, 30)))})
        reviewers.sort(key=lambda x: x["date"])
        ai = rng.random() < 0.3

        categories = rng.sample([c for c in self.v.cat_ids if c != ct[2]], rng.choice((1, 1, 2)))
        label = p["labels"][cite]
        record: dict[str, Any] = {
            "title": p["title"], "clause_type": ctid, "position": pos[0], "severity": severity, "categories": categories,
            "section": label, "summary": summary,
            "excerpt": {"text": ex_text, "status": status, "version": iso(dates[cite])},
            "why_it_matters": why, "consumer_impact": impact,
            "interpretive_note": _pick(rng, NOTES, 2, 3, ctx),
            "confidence": rng.choices(("high", "medium", "low"), (55, 35, 10))[0],
            "compliance": compliance, "regulations": reg_maps,
            "first_seen": iso(first_seen), "last_verified": iso(last_verified),
            "status": "removed" if p["removed_at"] is not None else "active",
            "changes": changes_out, "faq": faq,
            "authorship": {"author": rng.choice(AUTHORS), "written": iso(written), "reviewers": reviewers,
                           "ai_assisted": ai, "ai_note": rng.choice(AI_NOTES_TRUE if ai else AI_NOTES_FALSE)},
        }
        self.w.write(f"{folder}/{p['slug']}.yaml", dump_yaml("provision", record))
        counts["provisions"] += 1
        if p["removed_at"] is not None:
            counts["removed"] += 1
        if rng.random() < 0.2:
            self.w.write(f"{folder}/{p['slug']}.md", self._provision_md(rng, ctx, summary).encode("utf-8"))
            counts["provision_md"] += 1
        index.append((f"{pslug}/{dslug}/{p['slug']}", ctid, ctx["name"], tuple(chosen), pos[1], first_seen))

    @staticmethod
    def _provision_md(rng: random.Random, ctx: dict, summary: str) -> str:
        paras = [summary + " " + _pick(rng, WHY, 1, 2, ctx)]
        if rng.random() < 0.5:
            paras.append("## " + rng.choice(MD_HEADINGS))
        paras.append(_pick(rng, LANDSCAPE, 2, 3, ctx))
        if rng.random() < 0.4:
            paras.append("\n".join("- " + s.format_map(ctx) for s in rng.sample(CONSIDER, 3)))
        for bank in rng.sample([CONTRACT, IMPACT, NOTES], rng.randint(0, 2)):
            paras.append(_pick(rng, bank, 2, 3, ctx))
        return "\n\n".join(paras) + "\n"


def _analyses(rng: random.Random, index: list, count: int, w: _Writer) -> int:
    by_type: dict[str, list] = {}
    for entry in index:
        by_type.setdefault(entry[1], []).append(entry)
    spread = {t: len({e[0].split("/", 1)[0] for e in v}) for t, v in by_type.items()}
    types = sorted(t for t in by_type if spread[t] >= 2) or sorted(by_type)
    names = {ct[0]: ct[1] for ct in CLAUSE_TYPES}
    used: set[str] = set()
    for _ in range(count):
        ctid = rng.choices(types, [len(by_type[t]) for t in types])[0]
        entries = by_type[ctid]
        picked, seen_platforms = [], set()
        want = rng.randint(3, 8)
        for e in rng.sample(entries, len(entries)):
            platform = e[0].split("/", 1)[0]
            if platform not in seen_platforms:
                picked.append(e)
                seen_platforms.add(platform)
            if len(picked) >= want:
                break
        picked.sort()
        ctn = lc_first(names[ctid])
        n = len(picked)
        platforms_phrase = f"{n} platforms" if n > 1 else "one platform"
        title = rng.choice([f"How AI platforms handle {ctn}", f"{names[ctid]} across {platforms_phrase}",
                            f"What {ctn} clauses mean for deployers", f"{names[ctid]}: a comparison of platform terms"])
        slug = unique_slug(slugify(title), used)
        regs = list(dict.fromkeys(r for e in picked for r in e[3]))[:4]
        d = rng.randint(max(e[5] for e in picked), AS_OF)
        front: dict[str, Any] = {
            "title": title,
            "summary": f"How {platforms_phrase} word their {ctn} terms, and what the differences mean for users and deployers.",
            "date": iso(d), "updated": iso(rng.randint(d, AS_OF)),
            "authors": rng.sample(AUTHORS, rng.randint(1, 3)),
            "provisions": [e[0] for e in picked], "clause_types": [ctid], "regulations": regs,
        }
        ctx = {"name": picked[0][2], "doc": "platform terms", "ctn": ctn, "topic": ctn, "reg1": REG[regs[0]][1] if regs else "the law",
               "jur1": "the European Union"}
        body = [f"Platforms take different positions on {ctn}. This analysis reads the terms of {platforms_phrase}"
                + (f", from {picked[0][2]} to {picked[-1][2]}," if n > 1 else f", {picked[0][2]},")
                + " and explains what the differences mean in practice."]
        body.append("## The positions")
        body.append("\n".join(f"- **{e[2]}** takes the \u201c{e[4].lower()}\u201d position." for e in picked))
        body.append("## Why it matters")
        body.append(_pick(rng, CONTRACT, 2, 3, ctx))
        body.append(_pick(rng, CONSIDER, 2, 3, ctx))
        if regs:
            body.append("## Regulation")
            body.append(" ".join(f"{REG[r][1]} {REG[r][6]}." for r in regs))
        w.write(f"content/analyses/{slug}.md", dump_front_matter(front, "\n\n".join(body) + "\n"))
    return count


def _data_files(w: _Writer) -> None:
    site = {
        "title": "Governance Atlas", "tagline": "The terms of AI platforms, clause by clause.",
        "description": "A synthetic benchmark corpus shaped like the Governance Atlas knowledge base: fictional platforms, "
                       "generated policy documents and provisions. Not legal information.",
        "url": "https://governance-atlas.github.io/atlas/", "language": "en", "publisher": "Governance Atlas",
        "licence": {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        "code_licence": {"id": "MIT", "name": "MIT License", "url": "https://opensource.org/licenses/MIT"},
        "repository": "https://github.com/governance-atlas/atlas", "branch": "main", "as_of": iso(AS_OF),
    }
    w.write("data/site.yaml", dump_yaml("site", site))
    clause_types = {
        "categories": [{"id": c, "name": n, "description": d} for c, n, d in CATEGORIES],
        "clause_types": [{"id": ct[0], "name": ct[1], "category": ct[2], "description": ct[4],
                          "positions": [{"id": p[0], "name": p[1], "description": p[2]} for p in FAMILIES[ct[3]]]}
                         for ct in CLAUSE_TYPES],
    }
    w.write("data/clause-types.yaml", dump_yaml("clause-types", clause_types))
    regs = []
    for r in REGULATIONS:
        arts = []
        for aid, label, title in r[9]:
            art = {"id": aid, "label": label, "title": title}
            if r[8]:
                art["url"] = r[8].format(n=aid.split("-", 1)[1])
            arts.append(art)
        regs.append({"id": r[0], "name": r[1], "full_name": r[2], "jurisdiction": r[3], "url": r[4], "description": r[5],
                     "articles": arts})
    w.write("data/regulations.yaml", dump_yaml("regulations", {"regulations": regs}))
    jurs = []
    for j in JURISDICTIONS:
        rec = {"id": j[0], "code": j[1], "name": j[2]}
        if j[3]:
            rec["parent"] = j[3]
        jurs.append(rec)
    w.write("data/jurisdictions.yaml", dump_yaml("jurisdictions", {"jurisdictions": jurs}))


def plan_counts(provisions: int) -> tuple[int, int]:
    """Platforms and documents for N provisions, in the real corpus's proportions (at least 1 each)."""
    platforms = max(1, round(provisions * REAL_PLATFORMS / REAL_PROVISIONS))
    documents = max(platforms, round(provisions * REAL_DOCUMENTS / REAL_PROVISIONS))
    documents = min(documents, max(provisions, platforms))
    platforms = min(platforms, documents)
    return platforms, documents


_WORKER: dict[str, Any] = {}


def _worker_init(out: str, seed: int) -> None:
    pool, pool_words = _filler_pool(seed)
    _WORKER["gen"] = _PlatformGen(_Vocab(), pool, pool_words, _Writer(Path(out)))
    _WORKER["seed"] = seed


def _worker_run(task: tuple) -> tuple[list, dict]:
    """Generate one platform; its output depends only on (seed, task), never on which process runs it."""
    i, pslug, name, root, sizes = task
    gen: _PlatformGen = _WORKER["gen"]
    files, size = gen.w.files, gen.w.bytes
    index, counts = gen.run(random.Random(f"{_WORKER['seed']}/platform/{i}"), pslug, name, root, sizes)
    counts["files"] = gen.w.files - files
    counts["bytes"] = gen.w.bytes - size
    return index, counts


def default_jobs(provisions: int) -> int:
    return 1 if provisions < 2000 else max(1, min(8, os.cpu_count() or 1))


def generate(provisions: int, out: Path, seed: int = 0, jobs: int | None = None) -> dict:
    """Write a knowledge base of `provisions` provisions to out/content and out/data; return the counts.

    jobs: worker processes (default: one per CPU for large N); the files are the same for any value.
    """
    if provisions < 1:
        raise ValueError("provisions must be at least 1")
    out = Path(out)
    rng = random.Random(seed)
    n_platforms, n_documents = plan_counts(provisions)
    docs_per_platform = _split(n_documents, n_platforms, rng, 0.5)
    provs_per_doc = _split(provisions, n_documents, rng, 0.7)
    names, used = [], set()
    for _ in range(n_platforms):
        name, root = _platform_name(rng)
        names.append((unique_slug(slugify(name), used), name, root))

    _prepare_out(out)
    tasks, at = [], 0
    for i, (pslug, name, root) in enumerate(names):
        tasks.append((i, pslug, name, root, provs_per_doc[at:at + docs_per_platform[i]]))
        at += docs_per_platform[i]
    totals = {"platforms": n_platforms, "documents": 0, "versions": 0, "provisions": 0, "removed": 0, "provision_md": 0,
              "changes": 0, "files": 0, "bytes": 0}
    index: list = []

    def collect(results: Any) -> None:
        for idx, counts in results:  # in task order, whatever the number of workers
            index.extend(idx)
            for k, v in counts.items():
                totals[k] += v

    jobs = default_jobs(provisions) if jobs is None else max(1, jobs)
    if jobs == 1 or len(tasks) < 2:
        _worker_init(str(out), seed)
        collect(map(_worker_run, tasks))
    else:
        import multiprocessing
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(jobs, len(tasks)), initializer=_worker_init, initargs=(str(out), seed)) as workers:
            collect(workers.imap(_worker_run, tasks, chunksize=4))
    writer = _Writer(out)
    totals["analyses"] = _analyses(random.Random(f"{seed}/analyses"), index, max(1, provisions // 500), writer)
    _data_files(writer)
    totals["files"] += writer.files
    totals["bytes"] += writer.bytes
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--provisions", type=int, required=True, help="number of provisions (N)")
    ap.add_argument("--out", type=Path, required=True, help="output folder; gets content/ and data/")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=None,
                    help="worker processes (default: one per CPU from 2,000 provisions); output does not depend on it")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    c = generate(args.provisions, args.out, args.seed, args.jobs)
    dt = time.perf_counter() - t0
    print(f"{c['provisions']} provisions ({c['removed']} removed, {c['provision_md']} with analysis), "
          f"{c['platforms']} platforms, {c['documents']} documents, {c['versions']} snapshots, {c['changes']} changes, "
          f"{c['analyses']} analyses; {c['files']} files, {c['bytes'] / 1e6:.1f} MB in {dt:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
