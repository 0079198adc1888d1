"""What a site that may be public leaves out of each plan (``site.redact`` in plangen.yml).

The plan's own fields say what identifies a client or a person: a key account's name and
the places its activities happen at (estates, shops, companies: mostly clients' premises),
the owner's phone and e-mail, and the people who look after an account, a goal or an
activity. Such a field shows a word that says it is withheld (the label ``withheld``); a
key account becomes a stub of that word alone, so it is still counted. The plan's other
text may repeat those values (a key account named in the summary, a place in an
activity's title), so they are replaced wherever they appear, and so are e-mail addresses
and phone numbers of the usual forms. A client the plan names only in its running text (a
section body) cannot be known, and stays.

The plan that comes out is what the site and its downloads are made from, so no template,
not even a project's own, can show what was left out. The owner's name, the unit and the
organisation stay as written: they name the plan's pages and group its roll-ups.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any, Literal, TypeVar, get_args

from .model import FULL_WIDTH, Activity, Block, Clients, Goal, KeyAccount, Member, Owner, Plan, Program

Redactable = Literal["clients", "contacts", "people"]
REDACTABLE: tuple[Redactable, ...] = get_args(Redactable)

WITHHELD: dict[Redactable, frozenset[tuple[type[Block], str]]] = {
    "clients": frozenset({(KeyAccount, "name"), (Activity, "where")}),
    "contacts": frozenset({(Owner, "email"), (Owner, "phone"), (Member, "email"), (Member, "phone")}),
    "people": frozenset({(KeyAccount, "owner"), (Goal, "owner"), (Activity, "owner"), (Member, "name")}),
}
"""The fields each kind of redaction withholds; their values are replaced in all other text too.
People are the members of a team's plan and those it names as looking after an account, a goal
or an activity in its owner's place. A trainer is not among them: it is mostly a department or an
institution (分行培训中心, Insurance Institute), whose name the plan's text uses as a word (培训中心)
that would go with it."""

_KEPT = frozenset(
    {(Plan, "id"), (Plan, "language"), (Plan, "status"), (Plan, "unit"), (Plan, "organization"), (Owner, "name"),
     (Goal, "id"), (Goal, "direction"), (Activity, "goal"), (Program, "method")}
)  # fmt: skip
"""What is never changed: the plan's owner, unit and organisation name its pages and group its
roll-ups; ids, references and keywords are no text and must stay what they are."""

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PHONE = (
    r"(?<![0-9A-Za-z+])(?:"
    r"\+[0-9]{1,3}[ .-]?(?:\([0-9]{1,4}\)[ .-]?)?[0-9](?:[ .-]?[0-9]){5,12}"  # +86 571 8765 4321
    r"|\(?0[0-9]{1,3}\)?[ .-]?[0-9](?:[ .-]?[0-9]){5,8}"  # an area code first: 0571-87654321, (010) 1234 5678
    r"|(?:86[ .-]?)?1[3-9][0-9](?:[ .-]?[0-9]){8}"  # a mainland mobile number: 139 1234 5678, 8613912345678
    r")(?![0-9A-Za-z])"
)
"""Phone numbers as they are written: with a country code, with an area code, or mobile. A
figure of running text (19,630; 2027-03-31; 4.5) is none of these."""
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")

B = TypeVar("B", bound=Block)


def redact(plan: Plan, what: Collection[Redactable], withheld: str) -> Plan:
    """*plan* without the fields *what* names (see :data:`WITHHELD`), each replaced by *withheld*
    (the plan language's word for it), and without their values anywhere else in its text;
    with ``contacts``, without e-mail addresses and phone numbers in any text either. A value
    that is the owner's name stays: the owner is published. With nothing in *what*, *plan* itself."""
    if not what:
        return plan
    fields = frozenset().union(*(WITHHELD[kind] for kind in what))
    owner = plan.owner.name if plan.owner else None
    values = {value.translate(FULL_WIDTH) for value in _values(plan, fields) if value != owner}
    patterns = [pattern for value in sorted(values, key=len, reverse=True) for pattern in _patterns(value)]
    if "contacts" in what:
        patterns += [_EMAIL, _PHONE]
    found = re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE) if patterns else None

    def scrub(text: str) -> str:
        """*text* with every match replaced, matched as if typed in half-width characters: a
        Chinese input method types digits, @ and - full-width (１３８…，＠，－) as readily."""
        if not found:
            return text
        kept, at = [], 0
        for match in found.finditer(text.translate(FULL_WIDTH)):  # the same length: positions carry over
            kept += [text[at : match.start()], withheld]
            at = match.end()
        return "".join([*kept, text[at:]])

    def redacted(block: B) -> B:
        changes: dict[str, Any] = {}
        for name in type(block).model_fields:
            value, where = getattr(block, name), (type(block), name)
            if where in _KEPT or not value:
                continue
            if where == (Clients, "key_accounts") and "clients" in what:
                changes[name] = [KeyAccount.model_construct(name=withheld) for _account in value]  # counted, no more
            elif where in fields and not (isinstance(value, str) and value.strip() == owner):
                changes[name] = [withheld] if isinstance(value, list) else withheld
            else:
                changes[name] = text_of(value)
        return block.model_copy(update=changes)

    def text_of(value: Any) -> Any:
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, list):
            return [text_of(item) for item in value]
        return redacted(value) if isinstance(value, Block) else value  # figures, dates, periods, milestones

    return redacted(plan)


def _values(block: Block, fields: frozenset[tuple[type[Block], str]]) -> Iterator[str]:
    """The text of *block*'s *fields*, at any depth."""
    for name in type(block).model_fields:
        value = getattr(block, name)
        items = value if isinstance(value, list) else [value]
        if (type(block), name) in fields:
            yield from (item.strip() for item in items if isinstance(item, str))
        else:
            for item in items:
                if isinstance(item, Block):
                    yield from _values(item, fields)


def _patterns(value: str) -> list[str]:
    """How *value* may appear in other text: as written, in any case, with any run of white space
    where it has one (a line break in Markdown) and between Chinese characters (where a line of
    Chinese may break, or Markdown emphasis begin: 壹号**院**); a phone number also with other
    separators between its digits. Latin text is matched as whole words. One character is too
    little to look for."""
    if len(value) < 2:
        return []
    words = " ".join(value.split())
    pattern = ""
    for i, character in enumerate(words):
        if character == " ":
            pattern += r"\s+"
            continue
        before = words[i - 1] if i else " "
        if before != " " and not (before.isascii() and character.isascii()):
            pattern += r"[\s*_~]*"
        pattern += re.escape(character)
    if _ASCII_WORD.match(words[0]):
        pattern = r"(?<![0-9A-Za-z])" + pattern
    if _ASCII_WORD.match(words[-1]):
        pattern += r"(?![0-9A-Za-z])"
    patterns = [pattern]
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) >= 7 and re.fullmatch(r"[0-9\s()+.-]+", value):
        patterns.append(r"(?<![0-9])" + r"[\s().-]*".join(digits) + r"(?![0-9])")
    return patterns
