"""Is "Kassym-Jomart Tokayev" the same person as "Касым-Жомарт Токаев" or "Kasym-Zhomart
Tokaev"? Pure functions on names: a Latin phonetic form of every name (Cyrillic is
transliterated with iuliia's Wikipedia scheme, then spelling variants are folded), a
surname key for finding candidates in the database, and the comparison itself."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia
from rapidfuzz.distance import Levenshtein

# Roles whose holders go by one name ("King Fahd", "Patriarch Kirill"); anyone else printed
# with one word only is a surname the page has not introduced, not yet a person.
ONE_NAME_ROLES = re.compile(
    r"\b(?:King|Queen|Emperor|Empress|Emir|Sultan|Prince|Princess|Grand Duke|Pope|Patriarch"
    r"|Catholicos|Archbishop|Король|Королева|Император|Эмир|Султан|Принц|Принцесса|Папа"
    r"|Патриарх)\b",
    re.I,  # "the crown prince of the Kingdom of Saudi Arabia, Abdullah"
)

# Particles that belong to the surname or sit between names; never a given name.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "abu",
        "bint",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
        "dos",
        "das",
        "y",
        "e",
    ]
)
# Spelling variants folded to one form, applied in order: "Heydar"/"Geydar"/"Heidar",
# "Ilham"/"Ilkham", "Aleksandr"/"Alexander", "Jomart"/"Zhomart", "Tokayev"/"Tokaev",
# "Al Thani"/"al-Tani" (Russian has no "th": "Тани"), "Nazarbayev"/"Nasarbayev",
# "Cardoso"/"Cardozo", "Gustaf"/"Gustav".
_FOLDS = (
    ("shch", "$"),
    ("sch", "$"),
    ("sh", "$"),
    ("ch", "c"),
    ("tch", "c"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("ks", "x"),
    ("z", "s"),
    ("f", "v"),
    ("q", "k"),
    ("w", "v"),
    ("h", "g"),
    ("y", "i"),
    ("ou", "u"),
    ("ie", "e"),
    ("ia", "a"),
    ("io", "o"),
    ("iu", "u"),
    ("ai", "a"),
    ("ei", "e"),
    ("oi", "o"),
)
_VOWELS = re.compile(r"[aeiou]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


@lru_cache(maxsize=20000)
def latin(name: str) -> str:
    """The name in plain lower-case Latin letters: "Касым-Жомарт Токаев" -> "kasym-zhomart
    tokayev"; accents dropped ("Erdoğan" -> "erdogan")."""
    if _CYRILLIC.search(name):
        name = iuliia.WIKIPEDIA.translate(name)
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if not unicodedata.combining(c)).lower()


def fold(word: str) -> str:
    """One spelling of a Latin word's sound: "tokayev" and "tokaev" -> "tokaev";
    "Mohammed", "Muhammad" and "Mukhamed" -> "mugamad"; "Khalifah" -> "galifa"; "Cam"
    and "Kam" (a hard "c") -> "kam"."""
    word = re.sub(r"(?<=[aeiou])h$", "", word)
    word = re.sub(r"c(?=[aou])", "k", word)
    word = word.replace("kia", "ka").replace("gli", "li").replace("dz", "z")  # "Champi", "Azeglio"
    for old, new in _FOLDS:
        word = word.replace(old, new)
    word = re.sub(r"(.)\1+", r"\1", word)  # double letters: "Kassym"/"Kasym"
    return _MUHAMMAD.sub("mugamad", word)


# The Prophet's name has more Latin spellings than one typo apart.
_MUHAMMAD = re.compile(r"^m[ou]gam[ae]d$")  # after the folds: h -> g


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer  # loads its table once, on the first comparison

    return NickNamer()


def _nickname(a: str, b: str) -> bool:
    """One given name is the other's English short form: "Tony" for "Anthony"."""
    names = _nicknamer()
    return b in names.nicknames_of(a) or a in names.nicknames_of(b)


def _given(name: str) -> str:
    words = [re.sub(r"[^a-z]", "", w) for w in re.split(r"[\s.\-‐’'`]+", latin(name))]
    words = [w for w in words if w and w not in PARTICLES]
    return words[0] if words else ""


def tokens(name: str) -> list[str]:
    """Folded words of a name, initials as single letters: "George H. W. Bush" ->
    ["georg", "g", "v", "bu$"]."""
    words = re.split(r"[\s.\-‐’'`]+", latin(name))
    return [fold(w) for w in (re.sub(r"[^a-z]", "", w) for w in words) if w]


def surname_key(name: str) -> str:
    """The consonants of the folded surname, the database key that finds candidates:
    "Merkel", "Markel" and "Меркель" -> "mrkl"; a Russified "-ov"/"-ev" left out
    ("Rakhmonov" and "Rahmon" -> "rgmn"). Empty for a one-word name."""
    words = [w for w in tokens(name) if w not in PARTICLES]
    if len(words) < 2:
        return ""
    surname = _unrussified(words[-1])
    return _VOWELS.sub("", surname)[:100] or surname[:100]


def _unrussified(word: str) -> str:
    """ "ragmonov" -> "ragmon": the "-ov"/"-ev" a surname took in Russian, or dropped
    ("Emomali Rakhmonov" became "Emomali Rahmon" in 2007)."""
    return word[:-2] if len(word) > 6 and word.endswith(("ov", "ev")) else word


# Someone printed with and without the rest of their name: "Ricardo Lagos" and "Ricardo
# Lagos Escobar", "Juan Manuel Santos" and "Juan Manuel Santos Calderon" (a second
# surname), "Abdullah II" and "Abdullah II bin Al Hussein" (a patronymic chain).
_MAX_EXTRA_WORDS = 3


def extended_name(short: str, long: str) -> bool:
    """Is ``long`` the name ``short`` followed by more of the same name? ``short`` needs
    two words (a regnal number counts: "Abdullah II"), and at most three words follow."""
    a, b = tokens(short), tokens(long)
    if len(a) < 2 or len(b) <= len(a) or len(b) - len(a) > _MAX_EXTRA_WORDS:
        return False
    return all(_close(x, y) for x, y in zip(a, b[: len(a)], strict=True))


def prefixed_name(long: str, short: str) -> bool:
    """Is ``long`` the name ``short`` with a title or a given name in front ("Right
    Honourable Adrienne Clarkson", "Carlo Azeglio Ciampi" for "Azeglio Ciampi")? Not when
    the word before is a patronymic's "bin": "Tamim bin Hamad Al Thani" is Hamad's son."""
    a, b = long.split(), short.split()
    if len(b) < 2 or len(a) <= len(b) or a[-len(b) - 1].lower() in PARTICLES | _PATRONYMIC:
        return False
    return same_name(" ".join(a[-len(b) :]), short)


_PATRONYMIC = frozenset(["ben", "бин", "ибн"])


def _close(a: str, b: str) -> bool:
    """Two folded words are one: equal, or one typo apart in a long word ("markel")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return Levenshtein.distance(a, b) <= (1 if min(len(a), len(b)) < 8 else 2)


def same_name(a: str, b: str) -> bool:
    """Could the two printed names be one person? First and last names agree (up to a
    spelling variant or typo); middle names may be absent on one side but must agree when
    both print them, so "George H. W. Bush" and "George W. Bush" stay apart."""
    x = [w for w in tokens(a) if w not in PARTICLES]
    y = [w for w in tokens(b) if w not in PARTICLES]
    if len(x) < 2 or len(y) < 2:
        return False
    if not _close(x[-1], y[-1]) and _unrussified(x[-1]) != _unrussified(y[-1]):
        return False
    gx, gy = x[:-1], y[:-1]
    joined = len(gx) != len(gy) and all(len(w) > 1 for w in gx + gy)
    if joined and _close("".join(gx), "".join(gy)):  # "Abdul Aziz"/"Abdelaziz"
        return True
    fx, fy = x[0], y[0]
    if len(fx) == 1 or len(fy) == 1:  # an initial: "V. Putin"
        if fx[0] != fy[0]:
            return False
    elif not _close(fx, fy) and not _nickname(_given(a), _given(b)):
        return False
    mx, my = x[1:-1], y[1:-1]
    if mx and my:
        if len(mx) != len(my):
            return False
        return all(
            p[0] == q[0] if min(len(p), len(q)) == 1 else _close(p, q)
            for p, q in zip(mx, my, strict=True)
        )
    return True
