"""The per-page register of participants, found by any form of their name
("К.-Ж.Токаев", "Касым-Жомартом Токаевым")."""

from __future__ import annotations

import datetime as dt
import re

from .. import geo
from ..blocks import PersonLink
from ..people import match
from ..people.match import ONE_NAME_ROLES
from ..records import ParsedParticipant
from .counterparts import not_a_person
from .labels import ANONYMOUS_LABELS, split_en, split_role_name
from .normalise import (
    INITIALS,
    RANK,
    initials_match,
    key,
    person_name,
    shortened,
    unshout,
)

# Who the President of Russia was: the site's host, labelled "В.Путин" with no role.
_PRESIDENTS = (
    (dt.date(1999, 12, 31), {"en": "Vladimir Putin", "ru": "Владимир Путин"}),
    (dt.date(2008, 5, 7), {"en": "Dmitry Medvedev", "ru": "Дмитрий Медведев"}),
    (dt.date(2012, 5, 7), {"en": "Vladimir Putin", "ru": "Владимир Путин"}),
)
PRESIDENT_ROLE = {"en": "President of Russia", "ru": "Президент России"}


# "Russian Ambassador to Ukraine", "Ambassador to Kazakhstan": the country after an
# envoy's "to" is where they serve; on kremlin.ru an envoy of no other country is Russia's.
_POSTED_TO = re.compile(
    r"\b(?:Ambassador|Envoy|Representative|Посол|Посла|Представител\w*)\b[^,;]*?\s(?:to|in|в|при)\s.*$"
)


def role_country(role: str, lang: str) -> str | None:
    """The country of whoever holds ``role`` ("President of Serbia" -> "RS")."""
    posted = _POSTED_TO.search(role)
    if posted:
        head = role[: posted.start()] + role[posted.start() : posted.end()].split(" to ")[0]
        codes = geo.country_codes(re.split(r"\s(?:to|in|в|при)\s", head)[0], lang)
        return codes[0] if codes else geo.RUSSIA
    codes = geo.country_codes(role, lang)
    if codes[:1] == [geo.RUSSIA] and len(codes) > 1:  # "… of the Russia-Japan Society and
        codes = geo.country_codes(_BILATERAL.sub("", role), lang) or codes  # … of the Japanese"
    if not codes and _HOLY_SEE.search(role):
        return "VA"
    return codes[0] if codes else None


# A bilateral body's name ("Russia-Japan Society", "Russian-French Council") places no one.
_BILATERAL = re.compile(r"\b[A-ZА-ЯЁ][\w]*-[A-ZА-ЯЁ][\w]*\b")
_HOLY_SEE = re.compile(r"^(?:Pope|Pontiff|Папа Римский)\b")


# A role never opens with a preposition or an article-less clause word: "During President"
# and "On President" are the start of a sentence ("During President Vladimir Putin's
# visit …"), "On the eve of an official visit to Malaysia President" a clause.
_FRAGMENT = re.compile(
    r"^(?:During|On|At|In|After|Before|Following|Since|With|For|By|To|From|As|When|While"
    r"|Upon|Under|Over|About|Ahead|Prior|Во время|На|В|После|Перед|С|По|При)\b"
)


def plausible_role(role: str, lang: str) -> str:
    """``role`` as printed, or "" when it cannot be one: a sentence's opening words, or
    only a country's name ("Greece": a label or tag that named the country)."""
    role = role.strip(" ,")
    if not role or _FRAGMENT.match(role) or lang == "en" and role[:1].islower():
        return ""
    mentions = geo.find_countries(role, lang)
    if mentions and len(mentions) == 1 and mentions[0].text.strip() == role:
        return ""
    return role


def president_on(date: dt.date | None, lang: str) -> str:
    name = _PRESIDENTS[-1][1]
    for start, names in _PRESIDENTS:
        if date is None or date >= start:
            name = names
    return name[lang]


class Registry:
    """Participants of one page, found by any form of their name."""

    def __init__(self, lang: str, date: dt.date | None, labels: list[str] = ()) -> None:
        """``labels``: the page's speaker labels. Those that are a bare name ("Andrei
        Chepurnoi") tell where the name starts in a long label that gives the role first
        ("… Afghanistan War Disabled and Wounded Andrei Chepurnoi")."""
        self.lang = lang
        self.people: list[ParsedParticipant] = []
        self.president = president_on(date, lang)
        self.bare_names = [
            label.strip()
            for label in dict.fromkeys(labels)
            if lang == "en"
            and len(label.split()) >= 2
            and person_name(label, lang) == label.strip()
        ]

    def names(self) -> list[str]:
        return [p.name for p in self.people]

    def find(self, text: str, kremlin_id: int | None = None) -> int | None:
        if kremlin_id is not None:
            for i, p in enumerate(self.people):
                if p.kremlin_id == kremlin_id:
                    return i
        k = key(text)
        for i, p in enumerate(self.people):
            if key(p.name) == k or any(key(a) == k for a in p.aliases):
                return i
        for i, p in enumerate(self.people):
            if initials_match(text, p.name) or initials_match(p.name, text):
                return i
        for i, p in enumerate(self.people):  # a bare surname: "Putin"
            if len(text.split()) == 1 and len(p.name.split()) > 1 and key(p.name.split()[-1]) == k:
                return i
        for i, p in enumerate(self.people):  # "Mohammed Al Nahyan" / "Mohammed bin Zayed Al Nahyan"
            if shortened(k, key(p.name)):
                return i
        squeezed = k.replace(" ", "")  # "King Hamad bin Isa Al Khalifaof Bahrain": split <b>s
        for i, p in enumerate(self.people):
            if len(p.name) > 5 and key(p.name).replace(" ", "") in squeezed:
                return i
        for i, p in enumerate(self.people):  # "Juan Manuel Santos" / "… Santos Calderón"
            if match.extended_name(text, p.name) or match.extended_name(p.name, text):
                return i
            if match.prefixed_name(p.name, text):  # "Perez Roque" after "Felipe Perez Roque"
                return i
        # A spelling variant or typo: "Angela Markel" beside "Angela Merkel".
        fits = [i for i, p in enumerate(self.people) if match.same_name(text, p.name)]
        return fits[0] if len(fits) == 1 else None

    def add(
        self,
        name: str,
        *,
        role: str = "",
        alias: str = "",
        kremlin_id: int | None = None,
        country: str | None = None,
    ) -> int | None:
        """The person's index; None when ``name`` is not a person's name."""
        name = name.strip()
        if name.isupper() and len(name) > 3 and not INITIALS.match(name):
            name = unshout(name)  # "VLADIMIR PUTIN" in early transcripts
        rank = RANK.match(name)
        name = person_name(name, self.lang, tagged=kremlin_id is not None)
        if not name:
            return None
        if rank and not role:
            role = rank.group(0).strip()  # "Senior Sergeant"
        role = plausible_role(role, self.lang)
        if kremlin_id is None:
            name = self._unglued(name)
            if not_a_person(name):  # "Speeches at the opening of the Imperial Capitals"
                return None
        bare = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", name)  # "Mr Putin signed the book"
        if initials_match(name, self.president) or key(bare) in (
            key(self.president),
            key(self.president.split()[-1]),
        ):
            name = self.president
        elif bare != name and len(bare.split()) == 1:  # "the President of Iran, Mr Rouhani"
            same = [p.name for p in self.people if key(p.name.split()[-1]) == key(bare)]
            if len(same) != 1:
                return None  # a surname the page has not introduced
            name = same[0]
        index = self.find(name, kremlin_id)
        if index is None and kremlin_id is None and not self._may_be_new(name, role):
            return None
        if index is None:
            self.people.append(ParsedParticipant(name=name))
            index = len(self.people) - 1
        person = self.people[index]
        if INITIALS.match(person.name) and not INITIALS.match(name):
            person.name = name
        if role and not person.role:
            person.role = role
        if country and not person.country:
            person.country = country
        if kremlin_id is not None and person.kremlin_id is None:
            person.kremlin_id = kremlin_id
        if alias and alias not in person.aliases:
            person.aliases.append(alias)
        return index

    def _unglued(self, name: str) -> str:
        """ "Sergei Shoigu Vladimir Putin" (a lead's "with Defence Minister Sergei Shoigu
        Vladimir Putin received …") is two people: keep the one not yet known."""
        for known in [self.president, *self.names()]:
            rest = name[: -len(known)].strip()
            if len(known.split()) >= 2 and name.endswith(" " + known) and len(rest.split()) >= 2:
                return rest
        return name

    def _may_be_new(self, name: str, role: str) -> bool:
        """A one-word name is a new person only for a monarch or church head ("King Fahd");
        "President Cardoso of Brazil" before any "Fernando Henrique Cardoso" is not."""
        if len(name.split()) > 1 or INITIALS.match(name):
            return True
        return bool(ONE_NAME_ROLES.search(role))

    def add_label(self, label: str, links: list[PersonLink]) -> int | None:
        """Register the person a speaker label names; None for "Question" and the like."""
        if ANONYMOUS_LABELS.match(label):
            return None
        link = links[-1] if links else None
        link_id = link.kremlin_id if link else None
        found = self.find(label, link_id)
        if found is not None:
            name = self.people[found].name
            role = label[: -len(name)].strip(" ,") if label.endswith(" " + name) else ""
            if link and link.text in label and not role:
                role = label.replace(link.text, "").strip(" ,")
            return self.add(name, role=role, alias=label, kremlin_id=link_id)
        if link:
            name = link.text
            role = label.replace(name, "").strip(" ,") if name in label else ""
            if not role and self.lang == "en":  # the link is the whole "King Abdullah II of Jordan"
                role, name = split_en(name, strict=True)
                if not name:
                    role, name = "", link.text
            return self.add(name, role=role, alias=label, kremlin_id=link_id)
        printed = unshout(label) if label.isupper() else label
        known = [*self.names(), self.president, *self.bare_names]
        role, name = split_role_name(printed, self.lang, known)
        if not name:
            return None
        return self.add(name, role=role, alias=label)

    def finish(self) -> list[ParsedParticipant]:
        """Fill roles and countries, put the President first."""
        for person in self.people:
            if person.name == self.president and not person.role:
                person.role = PRESIDENT_ROLE[self.lang]
            if person.country is None and person.role:
                person.country = role_country(person.role, self.lang)
        self.people.sort(key=lambda p: p.name != self.president)
        return self.people
