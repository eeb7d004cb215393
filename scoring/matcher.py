"""Find which principles and anti-patterns a reply shows, and the words that show them.

Two kinds of evidence, both fuzzy, both explainable:

- cues: concept groups (synonym sets) that must all occur close together.
  Chinese terms are found as substrings, or by their pinyin when a rep's
  input method picked a homophone (建面 for 见面); English terms as words after
  light stemming with typo tolerance (rapidfuzz's OSA distance); a term right
  after a negator ("不打折", "never offer a discount") does not count;
- exemplars: whole example replies aligned against the reply with
  rapidfuzz's partial ratio, for wording close to a known good answer.

The strongest piece of evidence gives the principle its strength (0-1).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, LCSseq

from scoring.normalise import CLAUSE, DATE, MAX_REPLY_CHARS, NAME, TIME, Normalised, normalise
from scoring.principles import Cue, Library

__all__ = ["HIT_STRENGTH", "Evidence", "Found", "Matcher", "MatchResult", "NearMiss", "stem"]

# Evidence at or above this strength counts as showing the principle.
HIT_STRENGTH = 0.6
# Exemplar similarity (0-100) for full and for weak evidence.
EXEMPLAR_FULL = 88.0
EXEMPLAR_WEAK = 76.0
# How far back (characters for Chinese, words for English) a negator reaches.
_ZH_NEGATION_REACH = 5
_EN_NEGATION_REACH = 3
_CUE_OCCURRENCE_CAP = 6
_MEMO_CAP = 100_000  # entries in a matcher's memo of word pairs before it starts afresh
# What ends a negation's reach: a clause end, a relative clause (的), a "but", or a new clause
# opened by 那/就 ("没预算那就算了": the 算了 is not negated).
_NEGATION_STOPS = (CLAUSE, "的", "但", "那", "就", " but ", "however")
# Share of a reply's words that are cue terms above which it is a keyword list, not an answer.
_KEYWORD_LIST_SHARE = 0.6
# A Chinese sentence said to someone ends in a particle (吗, 呢, 吧, 啊 ...) and is not key words
# spaced apart ("太好了 许多公司 拜访 下午三点 有空吗" is a list with a 吗 on the end).
_ZH_PARTICLE = re.compile(r"[吗呢吧啊呀嘛][\s?？!！。.,，~～…]*$|[吗呢吧啊呀嘛][?？!！。.,，]")
_ZH_SPACED_WORDS = re.compile(r"[\u3400-\u9fff]\s+[\u3400-\u9fff]")
# A capitalised word inside an English sentence is a name ("we're with Helix", "Tallis & Co"), unless it
# is one of these; all-capital words are emphasis or acronyms ("who IS then", "CRM"), not names.
_NAME_WORD = re.compile(r"[A-Z][a-z][A-Za-z&'-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…。！？；：\n\"“‘(（\[])\W*$")
_NOT_NAMES = frozenset(
    "i i'm i'll i've i'd ok okay mr mrs ms miss dr sir madam monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november december".split()
)
_PLACE_WORDS = frozenset("in at near round around across outside to".split())  # before a place, not a rival
_PERSON_WORDS = re.compile(
    r"[我您你咱贵他她]|\b(?:i|i'm|i'll|i'd|we|we're|we'll|we've|us|our|you|you're|your|yours|me|my|let's|lets)\b"
)

_ZH_NEGATORS = ("从不", "从来不", "绝不", "决不", "不会", "不要", "不用", "不能", "不再", "没有", "没", "别", "不", "无需", "未")
# Compounds that contain a negator character but negate nothing.
_ZH_NOT_NEGATIONS = (
    "不少", "不错", "不好意思", "不过", "不但", "不仅", "不管", "不断", "不同", "不久", "有没有",
    "是不是", "能不能", "可不可以", "会不会", "要不要", "好不好", "行不行", "方不方便", "有没空",
    "不用谢", "了不起", "差不多", "不如", "不论", "不妨", "要不", "不知道", "没问题", "不客气",
    "对不起", "不胜", "忍不住", "说不定", "不得不", "免不了", "不满", "不开心", "不愉快", "不舒服",
    "没想到", "没关系", "不打扰", "不耽误", "不合适", "不勉强", "不强求",
    "没预算", "没有预算", "没钱", "没有钱",  # "no budget" states the objection; it negates nothing after it
    "别家", "别人", "别的", "特别", "区别", "分别", "级别", "类别", "告别", "识别", "差别", "派别",
)
# Set phrases whose characters are not the words they contain: 没关系 ("never mind") holds no 关系, 就定在
# (周四, "scheduled for") no 就定 ("decided now"), 得唔得 ("all right?") no 唔得 ("no good"), 不配合
# ("uncooperative") no 不配 ("not worthy"), 算了一下 / 算了总成本 ("worked it out") no 算了 ("forget it"); not
# 算了下(次), which is "forget it, next time"; 海外行程 holds no 外行 (a layman), 差旅 no 差 (poor), and the
# northern 那必须的 ("of course!") no 必须 (must).
_ZH_SET_PHRASES = ("没关系", "不要紧", "别客气", "不客气", "就定在", "得唔得", "不配合", "算了一下", "算了算", "算了笔",
                   "算了账", "算了总成本", "算了总账", "算了总价",
                   "海外行程", "差旅", "那必须的")
# Everyday words part of which sounds like a term: 合作方 holds no 作坊 (workshop), 客户经理 no 胡经理,
# 大一个 (公司) no 大意 (careless), 价钱 (the price) no 加钱 (charging extra), 记一下 (noting it down) no
# 挤一下 (squeezing the budget), (用)不上 / (跟)不上 no 补上 (making up for).
_ZH_SOUND_SHIELDS = ("合作方", "客户经理", "合作伙伴", "大一个", "价钱", "记一下", "不上")
# A Chinese company is named the way writers name one: two characters of good omen, 宏达, 恒远, 鑫源, 金盛;
# the everyday words among them are not names.
_ZH_COMPANY_NAME = re.compile("[恒鑫宏华金鼎诚兴瑞嘉永泰隆远][达远信盛源通航力诚丰昌泰隆兴祥瑞]")
_ZH_NOT_COMPANY_NAMES = frozenset(("诚信", "兴隆", "永远"))
# Everyday words a term may not start or end inside of: "设备用下来" holds no 备用 (a spare).
_ZH_WHOLE_WORDS = ("设备",)
# Not haven't/hasn't/hadn't: "you haven't looked into it properly" is how blame is said, not a denial of it.
_EN_NEGATORS = frozenset(
    "not never no don't dont won't wont can't cant cannot isn't aren't doesn't didn't wouldn't "
    "shouldn't wasn't weren't couldn't mustn't ain't isnt arent doesnt didnt "
    "wouldnt shouldnt wasnt werent couldnt without nor neither none".split()
)
_EN_NOT_NEGATIONS = ("no problem", "not only", "why don't", "why not", "no matter", "no doubt", "not just")

# Stems that would turn a word into a negator or another function word ("noted" is not "not").
_NOT_STEMS = frozenset("not no nor none".split())
# Words whose 's is "is"/"us", not a possessive.
_NOT_POSSESSIVE = frozenset("that it let who what there here where how he she this one everyone nobody".split())

_WORD = re.compile(r"[a-z0-9_']+|[\u3400-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[a-z]")
_TWO_LETTERS = re.compile(r"[a-z]{2}")
_LATIN_WORD = re.compile(r"[a-z0-9_']+")  # the words of _WORD that are not Chinese characters


def stem(word: str) -> str:
    """A light English stemmer: the same for term and reply is all that matters."""
    if word.endswith("'s") and len(word) >= 6 and word[:-2] not in _NOT_POSSESSIVE:
        word = word[:-2]  # next year's -> year, the customer's -> customer
    if "'" in word or len(word) <= 3 or word.startswith("_"):
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                continue
            if suffix == "es" and not word.endswith(("ses", "xes", "ches", "shes")):
                continue
            stemmed = word[: -len(suffix)] + keep
            return word if stemmed in _NOT_STEMS else _undoubled(stemmed)
    return _undoubled(word)


def _undoubled(word: str) -> str:
    """A final doubled consonant as one, in every word alike: running -> run, and call, calls,
    called and calling all -> cal (undoubling only after a suffix left "call" apart from "called")."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouy":
        return word[:-1]
    return word


_stem = lru_cache(maxsize=65536)(stem)  # the same few hundred words recur in every reply


# The evidence records are NamedTuples, not frozen dataclasses: as immutable, and several times
# cheaper to create, which matters at a dozen or more per reply.
class Found(NamedTuple):
    """One term of a cue found in the reply: `words` are the reply's own, at `start`-`end`."""

    term: str
    words: str
    start: int
    end: int
    fuzzy: bool = False
    negated: bool = False


class NearMiss(NamedTuple):
    """Why evidence that was almost there did not count; worded per language by the caller.

    reason: `partial` (a cue's words found, one group missing: `missing`, or
    `_slot_` for a concrete date/time), `exemplar` (close to `exemplar`, at
    `similarity`), `negated` (the words come after a negator), `keyword_list`
    (only key words strung together, no sentence), `overridden` (ruled out by
    the principle in `missing`, which the reply shows).
    """

    reason: str
    words: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    exemplar: str | None = None
    similarity: float = 0.0


class Evidence(NamedTuple):
    """How strongly a reply shows one principle, and why."""

    principle: str
    strength: float
    found: tuple[Found, ...] = ()
    exemplar: str | None = None
    similarity: float = 0.0
    near_miss: NearMiss | None = None
    negated: tuple[Found, ...] = ()

    @property
    def hit(self) -> bool:
        return self.strength >= HIT_STRENGTH

    @property
    def words(self) -> tuple[str, ...]:
        """The reply's words that triggered this evidence."""
        return tuple(dict.fromkeys(f.words for f in self.found))


@dataclass(frozen=True)
class MatchResult:
    """Everything found in one reply, by principle id."""

    normalised: Normalised
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    keyword_list: bool = False  # the reply only strings cue words together

    def hits(self, ids: Iterable[str] | None = None) -> tuple[str, ...]:
        wanted = self.evidence if ids is None else ids
        return tuple(pid for pid in wanted if pid in self.evidence and self.evidence[pid].hit)

    def strength(self, pid: str) -> float:
        ev = self.evidence.get(pid)
        return ev.strength if ev else 0.0


class _CompiledCue(NamedTuple):
    """A cue with its groups as the term texts `_find_all` keys its findings by, and each group as a
    near miss names it when it is the one missing (worked out once, not per reply)."""

    cue: Cue
    groups: tuple[tuple[str, ...], ...]
    missing: tuple[tuple[str, ...], ...]


class _Term(NamedTuple):
    """A compiled cue term (thousands per library: a NamedTuple, which a cached catalog unpickles
    natively, where a dataclass costs a Python call each)."""

    text: str
    chinese: bool
    stems: tuple[str, ...] = ()
    prefix: bool = False
    order: int = 0  # prefix terms: the order they were compiled in, which findings keep


class _Reply:
    """A normalised reply indexed for term look-ups."""

    def __init__(self, normalised: Normalised) -> None:
        self.text = normalised.text
        self.original = normalised.original
        self.tokens: list[tuple[str, int, int]] = [(m.group(0), m.start(), m.end()) for m in _LATIN_WORD.finditer(self.text)]
        self.stems = [_stem(tok) for tok, _s, _e in self.tokens]
        self.chinese = bool(_CJK.search(self.text))
        self._token_starts = [s for _t, s, _e in self.tokens]
        self._token_ends = [e for _t, _s, e in self.tokens]
        self.negation_points = self._negation_points()

    def _negation_points(self) -> list[int]:
        """Character offsets where a negation starts."""
        masked = self.text
        # Chinese phrases and negators cannot occur in a reply without Chinese, nor English ones without words.
        for phrase in (_ZH_NOT_NEGATIONS if self.chinese else ()) + (_EN_NOT_NEGATIONS if self.tokens else ()):
            if phrase in masked:
                masked = masked.replace(phrase, "#" * len(phrase))
        points = []
        for neg in _ZH_NEGATORS if self.chinese else ():
            start = masked.find(neg)
            while start >= 0:
                points.append(start + len(neg))
                start = masked.find(neg, start + 1)
        for tok, s, e in self.tokens:
            if tok in _EN_NEGATORS and masked[s:e] == tok:
                points.append(e)
        return sorted(points)

    def negated(self, start: int, chinese: bool) -> bool:
        if chinese:
            reach_start = max(0, start - _ZH_NEGATION_REACH - 1)
        else:
            before = bisect_right(self._token_ends, start)  # the tokens that end before `start`
            reach_start = self._token_starts[before - _EN_NEGATION_REACH] if before >= _EN_NEGATION_REACH else 0
        for point in self.negation_points:
            between = self.text[point:start + 1]  # up to the term's first character: 那就算了 opens anew
            # A negation reaches its verb, not past a clause end, 的, 那/就 or a "but" (_NEGATION_STOPS).
            if reach_start <= point <= start and not any(stop in between for stop in _NEGATION_STOPS):
                return True
        return False


# Matcher attributes only its constructor reads.
_BUILD_ONLY = frozenset(("_terms", "_en_by_first_stem", "_zh_by_sounds", "_zh_texts", "_en_prefixes"))


class Matcher:
    """Compiled cues and exemplars of a library; `match` is the per-reply hot path."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._terms: dict[str, _Term] = {}
        self._zh_texts: list[str] = []
        self._en_by_first_stem: dict[str, list[_Term]] = defaultdict(list)
        self._en_prefixes: list[_Term] = []
        self._zh_by_sounds: dict[str, list[str]] = defaultdict(list)  # a term's sounds (as code points) -> terms
        # Every cue, compiled, and where each term text takes part (principle, cue, group, place
        # in the group, the cue's language): a reply looks only at the cues some of whose words it contains.
        self._cues: list[list[_CompiledCue]] = []
        self._slots_of_term: dict[str, list[tuple[int, int, int, int, str]]] = defaultdict(list)
        for p_index, principle in enumerate(library):
            compiled = []
            for c_index, cue in enumerate(principle.cues):
                groups = tuple(tuple(dict.fromkeys(self._compile(term).text for term in group)) for group in cue.groups)
                compiled.append(_CompiledCue(cue, groups, tuple(_missing(group) for group in cue.groups)))
                for g_index, group in enumerate(groups):
                    for place, text in enumerate(group):
                        self._slots_of_term[text].append((p_index, c_index, g_index, place, cue.lang))
            self._cues.append(compiled)
        self._principles = list(library)
        self._index_of = {principle.id: p_index for p_index, principle in enumerate(self._principles)}
        self._prefixes_by_length = _index_prefixes(self._en_prefixes)
        # Chinese terms, and their sounds, found in one pass each over a reply (Aho-Corasick).
        self._zh_automaton = _automaton({text: text for text in self._zh_texts})
        self._zh_sound_automaton = _automaton({key: tuple(texts) for key, texts in self._zh_by_sounds.items()})
        self._sound_table = _sound_table() if self._zh_sound_automaton is not None else {}  # kept with the matcher
        self._prefix_cache: dict[str, tuple[_Term, ...]] = {}
        self._finds_names = NAME in self._slots_of_term  # only a library that uses `_name_` pays for finding names
        self._vocabulary = tuple(sorted(self._en_by_first_stem))
        # English terms by first word, then by second: a token looks only at the phrases its next word may start.
        self._en_next: dict[str, tuple[list[_Term], dict[str, list[_Term]], tuple[str, ...]]] = {}
        for first, terms in self._en_by_first_stem.items():
            by_second: dict[str, list[_Term]] = defaultdict(list)
            for term in terms:
                if len(term.stems) > 1:
                    by_second[term.stems[1]].append(term)
            singles = [term for term in terms if len(term.stems) == 1]
            self._en_next[first] = (singles, dict(by_second), tuple(w for w in by_second if len(w) >= 4))
        self._starting_cache: dict[tuple[str, str | None], tuple[bool, tuple[_Term, ...]]] = {}
        # Every exemplar of a language, shortest first, with its principle: one batch
        # call per reply compares them all; those no longer than the reply are aligned
        # inside it (partial ratio), the longer ones compared whole.
        self._exemplars: dict[str, tuple[list[str], list[str], list[int]]] = {}
        for lang in sorted({ex.lang for principle in library for ex in principle.exemplars}):
            pairs = sorted(((ex.normalised, principle.id) for principle in library for ex in principle.exemplars
                            if ex.lang == lang), key=lambda pair: len(pair[0]))
            self._exemplars[lang] = ([t for t, _p in pairs], [p for _t, p in pairs], [len(t) for t, _p in pairs])

    def __getstate__(self) -> dict[str, object]:
        """A cached catalog carries what `match` reads, not the tables only `__init__` builds from
        (a sixth of the pickle, but more than half of the time a drill takes to load it)."""
        return {key: value for key, value in self.__dict__.items() if key not in _BUILD_ONLY}

    def _compile(self, raw: str) -> _Term:
        if raw not in self._terms:
            self._terms[raw] = self._compile_new(raw)
        return self._terms[raw]

    def _compile_new(self, raw: str) -> _Term:
        text = normalise(raw).flat if raw not in (DATE, TIME, NAME) else raw
        if _CJK.search(text) and not _LATIN.search(text.replace(DATE, "").replace(TIME, "")):
            # Chinese, perhaps around a slot ("今天必须" reads "_date_ 必须"): found as a substring
            self._zh_texts.append(text)
            sounds = _sounds_of(text, _sound_table())
            if len(text) >= 2 and all(_is_sound(code) for code in sounds):
                self._zh_by_sounds[sounds].append(text)
            return _Term(text, chinese=True)
        prefix = raw.endswith("*")
        words = text.rstrip("*").split()
        stems = tuple(words[:-1] + [words[-1]] if prefix else [stem(w) for w in words])
        term = _Term(text.rstrip("*"), chinese=False, stems=stems, prefix=prefix,
                     order=len(self._en_prefixes) if prefix else 0)
        if prefix:
            self._en_prefixes.append(term)
        else:
            self._en_by_first_stem[stems[0]].append(term)
        return term

    # -- finding terms ------------------------------------------------------

    def _find_all(self, reply: _Reply) -> dict[str, list[Found]]:
        """Every occurrence of every known term, keyed by the term's own text."""
        found: dict[str, list[Found]] = defaultdict(list)
        text = reply.text
        if reply.chinese:  # a Chinese term cannot occur in a reply without Chinese
            self._find_chinese(reply, found)
        stems, tokens = reply.stems, reply.tokens
        for index, token_stem in enumerate(stems):
            following = stems[index + 1] if index + 1 < len(stems) else None
            fuzzy, terms = self._starting(token_stem, following)
            for term in terms:
                if len(term.stems) <= 2:  # `_starting` chose it by both its words
                    start, end = tokens[index][1], tokens[index + len(term.stems) - 1][2]
                else:
                    span = self._phrase_at(reply, index, term.stems, checked=2)
                    if span is None:
                        continue
                    start, end = span
                negated = reply.negated(start, False) if reply.negation_points else False
                found[term.text].append(Found(term.text, text[start:end], start, end, fuzzy, negated))
        if self._finds_names:
            for start, end in _names(reply):
                found[NAME].append(Found(NAME, text[start:end], start, end, negated=reply.negated(start, False)))
            for start, end in _zh_company_names(reply):
                found[NAME].append(Found(NAME, text[start:end], start, end, negated=reply.negated(start, True)))
        prefixed: list[tuple[int, int, _Term]] = []
        for index, (tok, _start, _end) in enumerate(reply.tokens):
            for term in self._prefix_terms(tok):
                prefixed.append((term.order, index, term))
        for _order, index, term in sorted(prefixed, key=lambda p: (p[0], p[1])):
            tok, start, end = reply.tokens[index]
            if self._phrase_at(reply, index, term.stems, prefix=True):
                found[term.text].append(Found(term.text, tok, start, end, negated=reply.negated(start, False)))
        return found

    def _prefix_terms(self, token: str) -> tuple[_Term, ...]:
        """The prefix terms (`negotiat*`) whose first word `token` starts with, allowing a slip."""
        cached = self._prefix_cache.get(token)
        if cached is None:
            hits: list[_Term] = []
            for length, (exact, fuzzy_keys) in self._prefixes_by_length.items():
                if len(token) < length:
                    continue
                head = token[:length]
                hits.extend(exact.get(head, ()))
                if fuzzy_keys:
                    for key, _d, _i in process.extract(head, fuzzy_keys, scorer=OSA.distance, score_cutoff=1,
                                                       limit=None):
                        if key != head and key[0] == head[0]:
                            hits.extend(exact[key])
            cached = self._prefix_cache[token] = tuple(sorted(hits, key=lambda t: t.order))
        return cached

    def _find_chinese(self, reply: _Reply, found: dict[str, list[Found]]) -> None:
        """Chinese terms as written, and by their sound where the input method picked a homophone."""
        text = reply.text
        hits: list[tuple[int, int, str, str, bool]] = []  # start, end, term, the reply's words, by sound
        if self._zh_automaton is not None:
            set_phrases, whole_words = _spans(text, _ZH_SET_PHRASES), _spans(text, _ZH_WHOLE_WORDS)
            for last, term_text in self._zh_automaton.iter(text):
                start, end = last + 1 - len(term_text), last + 1
                if not (set_phrases and _inside(start, end, set_phrases)) and not (
                        whole_words and _straddles(start, end, whole_words)):  # lists mostly empty: skip the call
                    hits.append((start, end, term_text, term_text, False))
        if self._zh_sound_automaton is not None:
            shields = _spans(text, _ZH_SOUND_SHIELDS)
            for last, term_texts in self._zh_sound_automaton.iter(_sounds_of(text, self._sound_table)):
                start, end = last + 1 - len(term_texts[0]), last + 1
                typed = text[start:end]
                if term_texts[0] == typed and len(term_texts) == 1:
                    continue  # the term as written, found above
                if shields and _within(start, end, shields):  # the everyday word itself too: 价钱 is no 加钱
                    continue
                hits.extend((start, end, t, typed, True) for t in term_texts if _homophone_slip(typed, t))
        hits.sort(key=lambda hit: hit[0])  # stable: terms met at one place keep the automaton's order
        for start, end, term_text, words, fuzzy in hits:
            negated = reply.negated(start, True) if reply.negation_points else False
            found[term_text].append(Found(term_text, words, start, end, fuzzy, negated))

    def _starting(self, token_stem: str, following: str | None) -> tuple[bool, tuple[_Term, ...]]:
        """The terms that may start at a token (found by a slip?), given the next token; memoised,
        as the same pairs of words recur from reply to reply."""
        key = (token_stem, following)
        cached = self._starting_cache.get(key)
        if cached is None:
            near: tuple[str, ...] = ()
            if token_stem not in self._en_next and len(token_stem) >= 5:
                near = _near_words(token_stem, self._vocabulary)
            firsts = near or (token_stem,)
            if len(self._starting_cache) >= _MEMO_CAP:
                self._starting_cache.clear()
            cached = self._starting_cache[key] = (bool(near), tuple(self._following(firsts, following)))
        return cached

    def _following(self, firsts: tuple[str, ...], following: str | None) -> list[_Term]:
        """The terms that may start with one of `firsts`: one-word terms, and phrases whose second
        word is `following` (or one slip from it)."""
        out: list[_Term] = []
        for first in firsts:
            entry = self._en_next.get(first)
            if entry is None:
                continue
            singles, by_second, long_seconds = entry
            out.extend(singles)
            if following is None:
                continue
            out.extend(by_second.get(following, ()))
            if long_seconds and len(following) >= 5:
                for word in _near_words(following, long_seconds, None):
                    if word != following:
                        out.extend(by_second[word])
        return out

    def _phrase_at(self, reply: _Reply, index: int, stems: tuple[str, ...], prefix: bool = False, checked: int = 0):
        """The span of the phrase `stems` at token `index`, or None; its first `checked` words are
        known to match (`_following` chose the phrase by them)."""
        if index + len(stems) > len(reply.stems):
            return None
        for offset in range(checked, len(stems)):
            want = stems[offset]
            got = reply.stems[index + offset]
            if prefix and offset == len(stems) - 1:
                ok = _prefix_like(reply.tokens[index + offset][0], want)
            else:
                ok = got == want or (len(got) >= 5 and want in _near_words(got, (want,)))
            if not ok:
                return None
        return reply.tokens[index][1], reply.tokens[index + len(stems) - 1][2]

    # -- cues and exemplars -------------------------------------------------

    @staticmethod
    def _cue_evidence(compiled: _CompiledCue, filled: Mapping[int, list[tuple[int, str]]],
                      found: Mapping[str, list[Found]]) -> tuple[float, tuple[Found, ...], list[tuple[str, ...]]]:
        """(strength, found, the groups missing as a near miss names them) for a cue each of whose
        groups has words in the reply; `filled`: per group, the (place in the group, term) of the terms found."""
        cue = compiled.cue
        per_group: list[list[Found]] = []
        missing = []
        for g_index in range(len(cue.groups)):
            occurrences = [occ for _place, text in sorted(filled[g_index]) for occ in found[text] if not occ.negated]
            if occurrences:
                occurrences.sort(key=_start)
                per_group.append(occurrences[:_CUE_OCCURRENCE_CAP])
            else:
                missing.append(compiled.missing[g_index])
        if missing:
            return 0.0, tuple(o[0] for o in per_group), missing
        best: tuple[int, tuple[Found, ...]] | None = None
        window = cue.window
        if len(per_group) == 1:  # one concept: its shortest occurrence
            for occ in per_group[0]:
                span = occ.end - occ.start
                if span <= window and (best is None or span < best[0]):
                    best = (span, (occ,))
        elif len(per_group) == 2:  # two concepts, the commonest: the closest pair that does not overlap
            for first in per_group[0]:
                for second in per_group[1]:
                    span = max(first.end, second.end) - min(first.start, second.start)
                    if (span <= window and (best is None or span < best[0])
                            and (first.end <= second.start or second.end <= first.start)):
                        best = (span, (first, second))
        else:
            best = _closest_apart(per_group, window)
        if best is None:
            return 0.0, tuple(o[0] for o in per_group), [("(closer together)",)]
        return cue.strength, best[1], []

    @staticmethod
    def _one_short(compiled: _CompiledCue, filled: Mapping[int, list[tuple[int, str]]],
                   found: Mapping[str, list[Found]]) -> tuple[tuple[Found, ...], tuple[str, ...]] | None:
        """For a cue with one group not met: the first words of each group met and the group not
        met, as a near miss; None when a group met has only negated words (two groups missing)."""
        firsts: list[Found] = []
        for g_index in sorted(filled):
            first = None
            for _place, text in sorted(filled[g_index]):  # in the order the group lists its terms
                for occ in found[text]:
                    if not occ.negated and (first is None or occ.start < first.start):
                        first = occ
            if first is None:
                return None
            firsts.append(first)
        missing = next(shown for g_index, shown in enumerate(compiled.missing) if g_index not in filled)
        return tuple(firsts), missing

    def _cue_findings(self, p_index: int, touched: Mapping[int, Mapping[int, list[tuple[int, str]]]],
                      found: Mapping[str, list[Found]], any_negated: bool) -> tuple[Evidence, NearMiss | None, list[Found]]:
        """A principle's strongest cue, the first near miss among the others (if it is not shown),
        and every negated word (`any_negated`: the reply has some).

        Most cues a reply touches lack one group; they can only be near misses, and only the first
        is wanted, so they are worked out last and only when the principle is not shown.
        """
        pid = self._principles[p_index].id
        strength = 0.0
        best_hits: tuple[Found, ...] = ()
        near: tuple[tuple[Found, ...], tuple[str, ...]] | None = None
        one_short: list[int] = []  # cues with one group not met, before the first near miss found
        cues = self._cues[p_index]
        order = sorted(touched)
        for c_index in order:
            filled = touched[c_index]
            short = len(cues[c_index].groups) - len(filled)
            if short:
                if short == 1 and near is None:
                    one_short.append(c_index)
                continue
            cue_strength, hits, missing = self._cue_evidence(cues[c_index], filled, found)
            if cue_strength > strength:
                strength, best_hits = cue_strength, hits
            elif hits and len(missing) == 1 and near is None:
                near = (hits, missing[0])
        negated = [occ for c_index in order for g_index in sorted(touched[c_index])
                   for _place, text in sorted(touched[c_index][g_index]) for occ in found[text]
                   if occ.negated] if any_negated else []
        best = Evidence(pid, strength, tuple(best_hits))
        if best.hit:
            return best, None, negated
        for c_index in one_short:  # all before the near miss among the full cues, if any
            first_near = self._one_short(cues[c_index], touched[c_index], found)
            if first_near is not None:
                near = first_near
                break
        if near is None:
            return best, None, negated
        hits, group = near
        return best, NearMiss("partial", tuple(dict.fromkeys(h.words for h in hits)), group), negated

    def _exemplar_similarity(self, flat: str, lang: str, settled: Container[str] = ()) -> dict[str, tuple[float, str]]:
        """Per principle not `settled`, its exemplar closest to the reply (in the reply's language)
        and how close (0-100)."""
        entry = self._exemplars.get(lang)
        if not entry:
            return {}
        texts, owners, lengths = entry
        cut = bisect_right(lengths, len(flat))
        # Exemplars no longer than the reply are aligned inside it (partial ratio). A window of the
        # reply can share no more with an exemplar than the whole reply does, so an alignment
        # scores at most 200·c/(len + c), c the longest common subsequence with the whole reply:
        # one cheap pass rules out most exemplars before the costly alignment.
        inside = [i for _t, common, i in process.extract(flat, texts[:cut], scorer=LCSseq.similarity, limit=None)
                  if owners[i] not in settled and 200 * common >= EXEMPLAR_WEAK * (lengths[i] + common)]
        inside.sort()
        whole = [i for i in range(cut, len(texts)) if owners[i] not in settled]  # longer ones: compared whole
        best: dict[str, tuple[float, str]] = {}
        for chosen, scorer in ((inside, fuzz.partial_ratio), (whole, fuzz.ratio)):
            if not chosen:
                continue
            for text, score, index in process.extract(flat, [texts[i] for i in chosen], scorer=scorer,
                                                      score_cutoff=EXEMPLAR_WEAK, limit=None):
                owner = owners[chosen[index]]
                if score > best.get(owner, (0.0, ""))[0]:
                    best[owner] = (score, text)
        return best

    def match(self, reply: str | Normalised) -> MatchResult:
        normalised = reply if isinstance(reply, Normalised) else normalise(reply)
        indexed = _Reply(normalised)
        found = self._find_all(indexed)
        langs = _languages(indexed)
        # principle -> cue -> group -> the (place, term) found of it; a cue none of whose words
        # were found adds nothing, and a principle with none and no exemplar near has no evidence.
        filled: dict[int, dict[int, dict[int, list[tuple[int, str]]]]] = {}
        for text in found:
            for p_index, c_index, g_index, place, lang in self._slots_of_term.get(text, ()):
                if lang in langs:
                    filled.setdefault(p_index, {}).setdefault(c_index, {}).setdefault(g_index, []).append((place, text))
        any_negated = any(occ.negated for occurrences in found.values() for occ in occurrences)
        by_cues = {p_index: self._cue_findings(p_index, touched, found, any_negated) for p_index, touched in filled.items()}
        # Exemplars only matter to a principle its cues did not already show in full.
        settled = {self._principles[p_index].id for p_index, (best, _n, _g) in by_cues.items() if best.strength >= 1.0}
        similar = self._exemplar_similarity(normalised.flat, "zh" if indexed.chinese else "en", settled)
        evidence: dict[str, Evidence] = {}
        for p_index in sorted(filled.keys() | {self._index_of[pid] for pid in similar}):
            principle = self._principles[p_index]
            best, near, negated = by_cues.get(p_index) or (Evidence(principle.id, 0.0), None, [])
            if best.strength < 1.0:
                similarity, exemplar = similar.get(principle.id, (0.0, None))
                if exemplar is not None:
                    strength = 1.0 if similarity >= EXEMPLAR_FULL else 0.5
                    if strength > best.strength:
                        best = Evidence(principle.id, strength, (), exemplar, similarity)
                    elif near is None:
                        near = NearMiss("exemplar", exemplar=exemplar, similarity=similarity)
            if negated and not best.hit:
                near = near or NearMiss("negated", tuple(dict.fromkeys(f.words for f in negated)))
            if best.strength > 0 or near or negated:
                evidence[principle.id] = Evidence(
                    principle.id, best.strength, best.found, best.exemplar, best.similarity,
                    None if best.hit else near, tuple(negated),
                )
        _apply_overrides(evidence, self.library)
        if _is_keyword_list(indexed, found, evidence, self.library):
            evidence = {pid: _demoted(ev) if not self.library[pid].is_anti_pattern else ev
                        for pid, ev in evidence.items()}
            return MatchResult(normalised, evidence, keyword_list=True)
        return MatchResult(normalised, evidence)


def _is_keyword_list(reply: _Reply, found: Mapping[str, list[Found]], evidence: Mapping[str, Evidence],
                     library: Library) -> bool:
    """Right words strung together without a sentence: nearly every word is a cue term.

    A real answer wraps its key words in the words that make them an answer
    (who, to whom, why); keyword stuffing does not.
    """
    hits = [ev for pid, ev in evidence.items() if ev.hit and not library[pid].is_anti_pattern]
    if len(hits) < 2:
        return False
    if not reply.chinese and _without_grammar(reply.text):
        return True
    if _PERSON_WORDS.search(reply.text):
        return False  # someone is talking to someone: a sentence, however short
    if reply.chinese and _ZH_PARTICLE.search(reply.original) and not _ZH_SPACED_WORDS.search(reply.original):
        return False  # "当时出了什么问题啊?" asks; a list of key words does not
    covered = [False] * len(reply.text)
    for term, occurrences in found.items():  # every cue word, not just the ones that won a cue; not names
        for f in occurrences if term != NAME else ():
            for i in range(f.start, min(f.end, len(covered))):
                covered[i] = True
    units = total = 0
    for m in _WORD.finditer(reply.text):
        if m.group(0) in (DATE, TIME):
            continue
        total += 1
        units += all(covered[m.start():m.end()])
    return total > 0 and units / total >= _KEYWORD_LIST_SHARE


def _names(reply: _Reply) -> list[tuple[int, int]]:
    """Where the reply's tokens are names: words written with a capital inside an English sentence,
    not at its start, not after Chinese, not a day, a month, "I" or a title, and not a place (a word
    after in/at/near/round/to: "I'll be in Derby")."""
    original = reply.original[:MAX_REPLY_CHARS]  # as much as was matched: a pasted megabyte is not read
    names: set[str] = set()
    place_ends = -2  # where the last place name ended: "the West End" is one place, not two names
    for m in _NAME_WORD.finditer(original):
        before = original[max(0, m.start() - 12):m.start()].rstrip()  # what the word follows
        word = m.group(0).casefold().replace("’", "'")
        if not before or _SENTENCE_START.search(before) or _CJK.match(before[-1]) or word in _NOT_NAMES:
            continue
        last = before.casefold().split()[-2:]  # "in Derby", "in the West End"
        if last[-1] in _PLACE_WORDS or last[-2:] in (["in", "the"], ["at", "the"]) or m.start() - place_ends <= 1:
            place_ends = m.end()  # "I'll be in Derby", "firms round Glasgow": where, not whom
            continue
        names.add(word)
    if not names:
        return []
    return [(s, e) for tok, s, e in reply.tokens
            if tok in names or ("'" in tok and tok.split("'", 1)[0] in names)]


def _zh_company_names(reply: _Reply) -> list[tuple[int, int]]:
    """Where a Chinese reply names a company as writers name one (宏达, 恒远, 鑫源), for `_name_`;
    Chinese has no capitals to go by, so the name's shape stands in for them."""
    if not reply.chinese:
        return []
    return [m.span() for m in _ZH_COMPANY_NAME.finditer(reply.text) if m.group(0) not in _ZH_NOT_COMPANY_NAMES]


def _languages(reply: _Reply) -> frozenset[str]:
    """The languages a reply is written in; a cue written for another does not apply ("" always does).

    A Chinese reply is not judged by English cues that happen to need only a date and a time.
    """
    langs = {""}
    if _CJK.search(reply.text):
        langs.add("zh")
    if any(tok not in (DATE, TIME) and _TWO_LETTERS.search(tok) for tok, _s, _e in reply.tokens):
        langs.add("en")
    if len(langs) == 1:
        langs.update(("zh", "en"))  # only digits, tokens or symbols: nothing to tell them apart
    return frozenset(langs)


def _apply_overrides(evidence: dict[str, Evidence], library: Library) -> None:
    """A principle shown rules out the ids it overrides: ending with a call-back is not giving up.

    Only a principle that is not itself ruled out overrides others, whatever the file order:
    keep_door_open rules out give_up, and a give_up so ruled out no longer rules out acknowledge.
    """
    shown = {pid for pid, ev in evidence.items() if ev.hit}
    overridden = {other for pid in shown for other in library[pid].overrides}
    ruled_out = {other for pid in shown - overridden for other in library[pid].overrides if other in shown}
    winners = {other: pid for pid in sorted(shown - overridden) for other in library[pid].overrides}
    for other in sorted(ruled_out):
        ev = evidence[other]
        evidence[other] = Evidence(other, 0.0, ev.found, ev.exemplar, ev.similarity,
                                   NearMiss("overridden", ev.words, missing=(winners[other],)), ev.negated)


def _start(found: Found) -> int:
    return found.start


def _spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where each of `phrases` occurs in `text`, as (start, end)."""
    return [(at, at + len(phrase)) for phrase in phrases for at in _occurrences(text, phrase)]


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether start..end lies within one of `spans` and is not all of it (关系 in 没关系)."""
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)


def _within(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether start..end lies within one of `spans`, all of it included (价钱 shields 价钱 itself)."""
    return any(s <= start and end <= e for s, e in spans)


def _straddles(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether start..end overlaps one of `spans` with neither holding the other (备用 in 设备用)."""
    return any(s < end and start < e and not (start <= s and e <= end) and not (s <= start and end <= e)
               for s, e in spans)


def _occurrences(text: str, phrase: str) -> list[int]:
    starts, at = [], text.find(phrase)
    while at >= 0:
        starts.append(at)
        at = text.find(phrase, at + 1)
    return starts


def _closest_apart(per_group: list[list[Found]], window: int) -> tuple[int, tuple[Found, ...]] | None:
    """One occurrence per group, none overlapping another (one word cannot stand for two concepts),
    spanning the fewest characters and at most `window`: the first such in the order of the groups'
    occurrences, as a scan of every combination would find it.

    Walks the combinations depth first and drops a partial one as soon as its span reaches the
    best found, so a long reply with six occurrences in each of four groups does not try all 1,296.
    """
    best: tuple[int, tuple[Found, ...]] | None = None
    limit = window + 1  # spans must be below this: within the window, then below the best found
    chosen: list[Found] = []

    def walk(g_index: int, low: int, high: int) -> None:
        nonlocal best, limit
        if g_index == len(per_group):
            best, limit = (high - low, tuple(chosen)), high - low
            return
        for occ in per_group[g_index]:
            start, end = min(low, occ.start), max(high, occ.end)
            if end - start >= limit or any(occ.start < c.end and c.start < occ.end for c in chosen):
                continue
            chosen.append(occ)
            walk(g_index + 1, start, end)
            chosen.pop()

    walk(0, 1 << 62, -1)  # nothing chosen yet: any occurrence narrows both ends
    return best


# English words that make a string of key words a sentence: articles, pronouns, auxiliaries, prepositions.
_EN_FUNCTION_WORDS = frozenset(
    "a an the to of in on at for with by from and or but so if as is are was were be been am do does did can "
    "could would will shall should may might must have has had i i'm i'll i'd i've we we're we'll you you're "
    "your yours it it's its that that's this these those there here me my our us they them their he she him "
    "her what which who how when where why not no just very really also too".split()
)


def _without_grammar(text: str) -> bool:
    """English with almost no function words: a long run of bare key words, or a heap of fragments."""
    runs = [[t for t in _WORD.findall(clause) if t not in (DATE, TIME)] for clause in text.split(CLAUSE)]
    words = [t for run in runs for t in run]
    if not words:
        return False
    share = sum(t in _EN_FUNCTION_WORDS for t in words) / len(words)
    return (share <= 0.2 and max(len(run) for run in runs) >= 7) or (share <= 0.1 and len(words) >= 8)


def _demoted(ev: Evidence) -> Evidence:
    return Evidence(ev.principle, min(ev.strength, 0.3), ev.found, ev.exemplar, ev.similarity,
                    NearMiss("keyword_list", ev.words), ev.negated)


def _missing(group: tuple[str, ...]) -> tuple[str, ...]:
    """A missing concept group as a near miss names it: a few of its terms, or `_slot_` for a date/time."""
    if DATE in group or TIME in group:
        return ("_slot_",)
    return tuple(g.rstrip("*") for g in group[:3])


def _index_prefixes(terms: list[_Term]) -> dict[int, tuple[dict[str, list[_Term]], tuple[str, ...]]]:
    """Prefix terms by the length of their first word: exact heads, and heads of five letters or
    more that a token may match with one slip."""
    by_length: dict[int, dict[str, list[_Term]]] = defaultdict(dict)
    for term in terms:
        head = term.stems[0]
        by_length[len(head)].setdefault(head, []).append(term)
    return {length: (exact, tuple(exact) if length >= 5 else ()) for length, exact in sorted(by_length.items())}


def _prefix_like(token: str, prefix: str) -> bool:
    """`token` starts with `prefix`, allowing one slip in a prefix of five letters or more."""
    if token.startswith(prefix):
        return True
    return (len(prefix) >= 5 and len(token) >= len(prefix) and token[0] == prefix[0]
            and OSA.distance(token[: len(prefix)], prefix) <= 1)


# Particles a rep swaps freely (的/得/地): a difference in them is grammar, not a slip on a key word.
_PARTICLES = frozenset("的得地")


# Characters that are words of their own or start common ones (这, 就, 号, 电话, 再见, 讲价 ...): typed
# where a term has a homophone, they are far likelier a different word ("打这个电话", "每件价格",
# "那家不") than a slip (白 stays out: 白访 is 拜访 mistyped).
_OWN_WORDS = frozenset("这那哪就都也还又是在有与把被给让对向跟从为了着过吗呢吧啊呀个件位次号点些每看低接长电见讲起下")


def _homophone_slip(typed: str, term: str) -> bool:
    """`typed` sounds like `term` and is a plausible input-method slip for it.

    Differences in the particles 的/得/地 are grammar, not slips. In a
    two-character term only one character may differ, the one kept must not be
    a particle, and the typed one must not be a word on its own: 建面 is 见面
    mistyped, 减免, 号码 or 似的 are other words. Longer terms allow one slip
    in three characters, two beyond.
    """
    if typed == term:
        return False
    differing = [(a, b) for a, b in zip(typed, term, strict=True) if a != b]
    if any({a, b} & _PARTICLES for a, b in differing):
        return False
    if any(typed_char in _OWN_WORDS for typed_char, _t in differing):
        return False  # 那家不 is "that firm doesn't", not 哪家不 mistyped
    if len(term) == 2:
        kept = term[0] if term[0] == typed[0] else term[1]
        return len(differing) == 1 and kept not in _PARTICLES
    return len(differing) <= (1 if len(term) == 3 else 2)


def _automaton(words: Mapping[str, object]):
    """An Aho-Corasick automaton finding every (overlapping) occurrence of `words`; None when empty."""
    if not words:
        return None
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word, value in words.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


# A character with no known sound: it never matches, so no homophone spans it.
_NO_SOUND = "\x00"
# The code points that stand for syllables: one per toneless syllable, from here on.
_FIRST_SOUND = 0xF0000


def _sounds_of(text: str, table: Mapping[int, str]) -> str:
    """`text` with each character of known sound replaced by the code point of its syllable.

    The others stay as they are: no term's sounds hold them, so no sound match spans them.
    """
    return text.translate(table)


def _is_sound(code: str) -> bool:
    return code in _sound_codes()


@lru_cache(maxsize=1)
def _sound_codes() -> frozenset[str]:
    return frozenset(_sound_table().values()) - {_NO_SOUND}


@lru_cache(maxsize=1)
def _sound_table() -> dict[int, str]:
    """`str.translate`'s table from a character to its syllable's code point: equal code, equal sound.
    The syllable code points themselves map to `_NO_SOUND`, so a reply cannot type a sound."""
    table = _pinyin()
    syllables = sorted(set(table.values()) - {""})
    codes = {syllable: chr(_FIRST_SOUND + i) for i, syllable in enumerate(syllables)}
    out = {_FIRST_SOUND + i: _NO_SOUND for i in range(len(syllables))}
    out.update({ord(ch): codes[syllable] for ch, syllable in table.items() if syllable})
    return out


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    """Toneless pinyin of common characters (scoring/library/pinyin.txt), read once."""
    table: dict[str, str] = {}
    text = resources.files("scoring.library").joinpath("pinyin.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            table[line[0]] = line[1:]
    return table


@lru_cache(maxsize=65536)
def _near_words(word: str, candidates: tuple[str, ...], limit: int | None = 3) -> tuple[str, ...]:
    """Candidates one slip away (two for long words) from `word`, the closest `limit` (None: all)."""
    if len(word) < 5:
        return ()
    slips = 1 if len(word) < 8 else 2
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=slips, limit=limit)
    # A slip rarely hits the first letter; a different first letter is usually another word
    # (treated/great, money/honey, bring/ring).
    return tuple(w for w, _d, _i in found if len(w) >= 4 and w[0] == word[0] and _plausible_slip(word, w))


def _plausible_slip(typed: str, word: str) -> bool:
    """Below seven letters a swapped letter is another word (think/thank, expect/expert), not a typo;
    a dropped, doubled or transposed letter still is one."""
    return len(typed) >= 7 or len(typed) != len(word) or sorted(typed) == sorted(word)
