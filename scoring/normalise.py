"""Turn a typed reply into one canonical text that cues and exemplars can be matched against.

Folds what a rep's keyboard varies but the meaning does not: full-width forms,
case, traditional characters, punctuation, control and escape sequences, and
the exact date or time offered (every concrete date becomes `_date_`, every
clock time `_time_`, so "周二下午三点" and "Thursday at 10am" both read as a
concrete slot).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CLAUSE", "DATE", "MAX_REPLY_CHARS", "NAME", "TIME", "Normalised", "normalise", "to_simplified", "traditional_characters"]

DATE = "_date_"
TIME = "_time_"
NAME = "_name_"  # a term standing for a company or person named in the reply (the matcher finds them)
CLAUSE = "|"  # stands where a sentence or clause ended; negation does not cross it

# A reply longer than this is cut before matching: nobody says more on a call,
# and it bounds the cost of a pasted document.
MAX_REPLY_CHARS = 4000

_CN_DIGIT = "零一二两三四五六七八九十"
_CN_NUM = f"[0-9{_CN_DIGIT}]{{1,3}}"

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

# Order matters: the longest forms first, so "下周二下午3点半" is one date and one time.
# Each pattern opens with a look-ahead at the characters a match can start with: the regex
# engine then fails fast at every other position instead of trying each alternative there.
_ZH_DATE = re.compile(
    rf"(?=[\s0-9{_CN_DIGIT}下这本个周星礼明后大今])"
    rf"(?:(?:{_CN_NUM}\s*月\s*{_CN_NUM}\s*[日号])"
    rf"|(?:(?:下|这|本|下下)?\s*(?:个)?\s*(?:周|星期|礼拜)\s*[一二三四五六日天1-7])"
    r"|(?:明天|后天|大后天|今天|明早|明晚|下周|下星期|下礼拜)"
    rf"|(?:{_CN_NUM}\s*[号日](?![本元])))"
)
_ZH_TIME = re.compile(
    r"(?=[上下早晚中0-9十两二三四五六七八九])"
    rf"(?:(?:(?:上午|下午|早上|晚上|中午|早|晚)\s*{_CN_NUM}\s*(?:点|时|:)\s*(?:半|一刻|三刻|{_CN_NUM}\s*分?)?)"
    r"|(?:(?:[0-9]{1,2}|十[一二]?|[两二三四五六七八九])\s*(?:点|时)(?!候|间)"
    rf"\s*(?:半|一刻|三刻|钟|{_CN_NUM}\s*分?)?)"
    r"|(?:[0-9]{1,2}\s*:\s*[0-9]{2})"
    r"|(?:上午|下午|中午))"
)
_EN_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri"
_EN_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_EN_DATE = re.compile(
    r"(?=[mtwfsjaond\d])"
    rf"(?:\b(?:(?:next|this|on)\s+)?(?:{_EN_DAYS})s?\b"
    rf"|\b(?:{_EN_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTHS})\b"
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
    r"|\b(?!24/7)\d{1,2}/\d{1,2}\b"
    r"|\b(?:today|tomorrow|tmrw|tmr|next week)\b)"
)
_EN_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_EN_TIME = re.compile(
    r"(?=[otfsenahqmi\d])"
    rf"(?:\b(?:\d{{1,2}}|{_EN_NUMBER_WORDS})(?:\s*[:.]\s*\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?|o\s*clock|oclock)(?![a-z])"
    r"|\b\d{1,2}\s*:\s*\d{2}\b"
    r"|\b(?:at|around)\s+\d{1,2}(?:\s*[:.]\s*\d{2})?(?:\s*(?:a\.?m\.?|p\.?m\.?|o\s*clock))?\b"
    r"(?!\s*(?:%|percent|compan|client|customer|people|year|month|dollar|usd|k\b|million))"
    r"|\b(?:noon|midday|half past \w+|quarter past \w+|in the morning|in the afternoon|this afternoon|tomorrow morning)\b)"
)
_TOKENS = re.compile(rf"(?:{DATE}|{TIME})(?:\s+(?:{DATE}|{TIME}))*")
_SPACE = re.compile(r"\s+")
_ODD_BLANK = re.compile(r"[^\S ]| \s")  # a blank other than one plain space
_CLAUSE_ENDS = frozenset(",.;!?、。…—–\n\r\t|")
_REPEATED_CLAUSE = re.compile(r"\|(?:\s*\|)+")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LATIN_WORD = re.compile(r"[a-z]{5,10}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"\d")  # any digit, as the patterns' own \d


@dataclass(frozen=True, slots=True)
class Normalised:
    """A reply as the matcher sees it."""

    original: str
    text: str
    dates: int
    times: int

    @property
    def flat(self) -> str:
        """The text without clause marks, for whole-reply similarity."""
        return _SPACE.sub(" ", self.text.replace(CLAUSE, " ")).strip()


@lru_cache(maxsize=1)
def _converter():  # pragma: no cover - trivial
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (OpenCC's t2s); other text passes through.

    OpenCC is asked only when the text holds a character its t2s dictionaries
    may change: for any other text its answer is the text itself, and asking
    costs more than the rest of the normaliser.
    """
    if not _CJK.search(text) or traditional_characters().isdisjoint(text):
        return text
    return _converter().convert(text)


@lru_cache(maxsize=1)
def traditional_characters() -> frozenset[str]:
    """Every character OpenCC's t2s may change (scoring/library/traditional.txt), read once."""
    from importlib import resources

    text = resources.files("scoring.library").joinpath("traditional.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


def _one_blank(run: re.Match[str]) -> str:
    """A run of blanks as one: a line break or tab (clause ends) if the run holds one, else a space."""
    blanks = run.group(0)
    return "\n" if "\n" in blanks or "\r" in blanks or "\t" in blanks else " "


def _fold_punctuation(text: str) -> str:
    return _MAY_FOLD.sub(_fold_match, text)


def _fold_match(match: re.Match[str]) -> str:
    return _FOLDED[ord(match.group(0))]


# Letters, digits, Chinese characters and the kept marks fold to themselves: only the rest is looked up.
_MAY_FOLD = re.compile(r"[^a-z0-9_' \u3400-\u9fff]")


class _FoldTable(dict[int, str]):
    """`str.translate`'s table, filled per character on first sight (up to 65,536 characters)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < 65536:
            self[code] = folded
        return folded


_FOLDED = _FoldTable()


def _fold_char(ch: str) -> str:
    """A clause end becomes a clause mark, other punctuation and symbols a space."""
    if ch in _CLAUSE_ENDS:
        return f" {CLAUSE} "
    if ch in ":/'":
        return ch  # kept for times (3:30), dates (3/15) and contractions (don't)
    if unicodedata.category(ch)[0] in "PSZ" and ch != "_":
        return " "
    return ch


def _fix_day_typo(match: re.Match[str]) -> str:
    """A day name typed with one slip ("tusday", "wendsday") is still a day."""
    return _day_name(match.group(0))


@lru_cache(maxsize=4096)
def _day_name(word: str) -> str:
    from rapidfuzz.distance import Levenshtein

    if word in _DAY_NAMES:
        return word
    for day in _DAY_NAMES:
        slips = 1 if len(day) < 8 else 2
        if abs(len(day) - len(word)) <= slips and Levenshtein.distance(word, day) <= slips:
            return day
    return word


def normalise(reply: str) -> Normalised:
    """Canonical form of a reply; total and deterministic for any string."""
    text = reply[:MAX_REPLY_CHARS]
    text = _ESCAPES.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if _ODD_BLANK.search(text):  # the date and time patterns must never backtrack over a run of blanks
        text = _SPACE.sub(_one_blank, text)
    text = to_simplified(text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("：", ":").replace("%", " percent ")
    dates = times = 0

    def _date(_match: re.Match[str]) -> str:
        nonlocal dates
        dates += 1
        return f" {DATE} "

    def _time(_match: re.Match[str]) -> str:
        nonlocal times
        times += 1
        return f" {TIME} "

    words = _LATIN_WORD.findall(text)
    if words and list(map(_day_name, words)) != words:
        text = _LATIN_WORD.sub(_fix_day_typo, text)
    # Skip the patterns that cannot match: every Chinese date holds a Chinese character, every
    # English date or time a letter or a digit, every Chinese time a Chinese character or a digit.
    chinese, latin, digits = bool(_CJK.search(text)), bool(_LETTER.search(text)), bool(_DIGIT.search(text))
    if chinese:
        text = _ZH_DATE.sub(_date, text)
    if latin or digits:
        text = _EN_DATE.sub(_date, text)
    if chinese or digits:
        text = _ZH_TIME.sub(_time, text)
    if latin or digits:
        text = _EN_TIME.sub(_time, text)
    text = _fold_punctuation(text).replace(":", " ").replace("/", " ")
    text = _SPACE.sub(" ", text).strip()
    text = _REPEATED_CLAUSE.sub(CLAUSE, text).strip(f" {CLAUSE}")
    text = _TOKENS.sub(lambda m: " ".join(dict.fromkeys(m.group(0).split())), text)
    return Normalised(original=reply, text=text, dates=dates, times=times)
