"""The rule coder's language data: loading, validation, and compilation into matchers.

Pattern files (`codebook/patterns/<lang>.yaml`) hold, per language: axis cue wording, the
guide's question wording, topics with the codes they can take (the first code's axis is the
topic's most likely one), vetoes, idioms that say nothing, spaCy token patterns and sentence
openings (a sentence that opens with a verb in the infinitive, "Fortalecer...",
"Strengthen...", proposes something). Phrases are matched token by token on lemmas or on
lower-cased text, accents ignored; a phrase written "=like this" matches those word forms
only (so "=hay que" is not "había que"); long topic words also match with small
transcription slips (rapidfuzz).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple

from rapidfuzz import fuzz, process

from qda.codebook.check import pattern_files, plain_pattern, read_patterns
from qda.codebook.model import Codebook, strip_lines
from qda.errors import QdaError
from qda.text.nlp import lemma, lemma_table, pipeline

if TYPE_CHECKING:
    from spacy.matcher import Matcher

FUZZY_MIN_LENGTH = 7  # shorter words differ by one letter too often to be guessed safely
FUZZY_CUTOFF = 88.0
FUZZY_WEIGHT = 0.8  # a match through a transcription slip counts for less


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case without accents: the form phrases and text are compared in."""
    lower = word.lower()
    if lower.isascii():  # nine words in ten: nothing to decompose (a fifth of the time)
        return lower
    plain = unicodedata.normalize("NFKD", lower)
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Phrase:
    """One phrase of the pattern data, and what a match of it says."""

    rule: str  # stable id, e.g. es.topic.budget
    kind: str  # cue | question | topic | veto | neutral
    target: str  # an axis, a topic name, or a code path (vetoes)
    text: str
    keys: tuple[tuple[str, str], ...]  # per token: (folded lemma, folded lower-case form)
    exact: bool = False  # "=hay que": the text's word forms must be these, not their lemmas

    def head(self, fuzzy: bool) -> tuple[str, str, str, float]:
        """(target, rule, kind, weight) of a match: what a hit of this phrase says."""
        if fuzzy:
            return self.target, self.rule + ".fuzzy", self.kind, FUZZY_WEIGHT
        return self.target, self.rule, self.kind, 1.0


class Word(NamedTuple):
    """What the matcher needs to know of one distinct text word, worked out once per word."""

    lemma: str  # folded
    form: str  # folded
    slip_of: str | None  # the topic word it is a transcription slip of
    lookup: tuple[str, ...]  # its distinct keys (lemma, form, slip), to look it up in `then`
    alone: tuple[tuple[str, str, str, float], ...]  # heads of the one-word phrases it matches
    # longer phrases whose first word it matches, by a key of their second word; entries are
    # (position among the phrases it can begin, phrase, fuzzy first word), so candidates
    # keep that order
    then: dict[str, tuple[tuple[int, Phrase, bool], ...]]
    nexts: frozenset[str]  # the keys of `then`: a longer phrase can start here only before these
    opens: frozenset[int]  # token patterns (by index) whose first token it can be
    follows: frozenset[int]  # token patterns whose second token it can be


@dataclass
class Patterns:
    """Compiled patterns of one language."""

    lang: str
    phrases: dict[str, list[Phrase]]  # first token key -> phrases starting there
    topics: dict[str, list[str]]  # topic -> codes it can take
    tokens: list[dict[str, Any]]
    token_codes: dict[str, str]  # token pattern id -> the code it signals
    vocabulary: tuple[str, ...]  # long folded topic words, for fuzzy matching
    # spaCy's Matcher, for token patterns that test more than plain words (see `simple`)
    matcher: Matcher | None = None
    # per token pattern, the folded words its first and second tokens can be (None: any
    # second word); None when some pattern can start at any word
    openings: list[tuple[frozenset[str], frozenset[str] | None]] | None = None
    loose: frozenset[int] = frozenset()  # token patterns whose second word is not checked
    # per token pattern and token: (may repeat, the folded words it accepts or None); None
    # unless every pattern tests tokens one by one, so a slice of a passage matches as the whole
    steps: list[tuple[tuple[bool, frozenset[str] | None], ...]] | None = None
    leads: list[Lead] = field(default_factory=list)  # sentence openings, per axis
    # per token pattern, its tokens as (fewest, most repeats, test of one word); None unless
    # every token tests plain words (qda.codebook.check.plain_token): Python matches them,
    # and neither spaCy nor its Matcher is loaded
    simple: list[tuple[tuple[int, int, Any], ...]] | None = None
    _cache: dict[str, Word] = field(default_factory=dict)

    def keys(self, word: str) -> tuple[str, str]:
        """(folded lemma, folded form) of a word."""
        return fold(lemma(word, self.lang)), fold(word)

    def token_keys(self, word: str) -> Word:
        """A text word's keys and the phrases that may start at it, computed once per word."""
        found = self._cache.get(word)
        if found is None:
            lem, low = self.keys(word)
            alt = None
            if len(low) >= FUZZY_MIN_LENGTH and low not in self.phrases \
                    and lem not in self.phrases and not is_known_word(word, self.lang):
                best = process.extractOne(low, self.vocabulary, scorer=fuzz.ratio,
                                          score_cutoff=FUZZY_CUTOFF)
                alt = best[0] if best else None
            starts = tuple({id(p): p for k in (lem, low, alt) if k
                            for p in self.phrases.get(k, ())}.values())
            alone: list[tuple[str, str, str, float]] = []
            then: dict[str, list[tuple[int, Phrase, bool]]] = {}
            for at, phrase in enumerate(starts):
                first = phrase.keys[0]
                if low in first or (lem in first and not phrase.exact):
                    fuzzy = False
                elif alt == first[1] and phrase.kind == "topic":
                    fuzzy = True
                else:  # reached through a slip, but slips are forgiven in topics only
                    continue
                if len(phrase.keys) == 1:
                    alone.append(phrase.head(fuzzy))
                else:
                    for key in dict.fromkeys(phrase.keys[1]):
                        then.setdefault(key, []).append((at, phrase, fuzzy))
            opens, follows = set(), set()
            for index, (first, second) in enumerate(self.openings or ()):
                if lem in first or low in first:
                    opens.add(index)
                if second is not None and (lem in second or low in second):
                    follows.add(index)
            found = self._cache[word] = Word(
                lem, low, alt, tuple(k for k in dict.fromkeys((lem, low, alt)) if k),
                tuple(alone), {k: tuple(v) for k, v in then.items()}, frozenset(then),
                frozenset(opens), frozenset(follows))
        return found

    def match_end(self, index: int, start: int, keys: list[Word]) -> int:
        """A bound on where a match of token pattern `index` starting at `start` ends: each
        token takes one word, a repeated one the run of words it accepts (all the rest when
        it accepts any word), plus the word after. Needs `steps`."""
        at, count = start, len(keys)
        for repeats, accepted in self.steps[index]:
            if not repeats:
                at += 1
            elif accepted is None:
                return count
            else:
                while at < count and (keys[at].lemma in accepted or keys[at].form in accepted):
                    at += 1
        return min(at + 1, count)  # and the word after, where a pending match is decided

    def token_matches(self, texts: list[str], keys: list[Word], first: int, stop: int
                      ) -> list[tuple[int, int, int]]:
        """(start, end, pattern index) of every token-pattern match within words first..stop,
        in the order they appear, as spaCy's Matcher finds them (every start and every
        length) without building a Doc. Needs `simple`."""
        found: list[tuple[int, int, int]] = []
        simple, openings = self.simple, self.openings
        every = range(len(simple))
        for start in range(first, stop):
            for index in (keys[start].opens if openings is not None else every):
                ats = {start}
                for fewest, most, test in simple[index]:
                    reached = set(ats) if fewest == 0 else set()
                    for at in ats:
                        n = 0
                        while n < most and at < stop and test(texts[at], keys[at]):
                            at += 1
                            n += 1
                            if n >= fewest:
                                reached.add(at)
                    ats = reached
                    if not ats:
                        break
                found.extend((start, end, index) for end in ats if end > start)
        found.sort()
        return found

    def matcher_matches(self, texts: list[str], keys: list[Word], first: int, stop: int
                        ) -> list[tuple[int, int, int]]:
        """`token_matches` by spaCy's Matcher, on a Doc of words first..stop and their
        lemmas: for patterns that test more than plain words."""
        from spacy.tokens import Doc

        doc = Doc(self.matcher.vocab, words=texts[first:stop],
                  lemmas=[k.lemma for k in keys[first:stop]])
        index = {entry["id"]: i for i, entry in reversed(list(enumerate(self.tokens)))}
        strings = self.matcher.vocab.strings
        return sorted((first + s, first + e, index[strings[m]]) for m, s, e in self.matcher(doc))

    def scan(self, text: str) -> tuple[list[int], list[str], list[Word]]:
        """The words of `text`: where each ends, their text and keys. One pass of C-level
        loops, since this runs over every word of a corpus: the pieces (a word and the space
        before it) tile the text, so their summed lengths are the words' ends; a word starts
        at its end less its length."""
        pieces = _PIECE.findall(text)
        ends = list(accumulate(map(len, pieces)))
        texts = list(map(str.lstrip, pieces))
        keys = list(map(self._cache.get, texts))
        if None in keys:
            keys = [k if k is not None else self.token_keys(w) for k, w in zip(keys, texts)]
        return ends, texts, keys


@dataclass(frozen=True)
class Lead:
    """How a sentence opening says what the sentence does: any verb of the language in its
    infinitive or base form (`verbs`), and listed opening words; `except_` words open
    descriptions, and a verb followed by one of `not_next` is a noun or a subject
    ("Support from the minister...")."""

    axis: str
    verbs: frozenset[str]
    words: frozenset[str]
    except_: frozenset[str]
    not_next: frozenset[str]
    gerunds: float  # weight of an opening gerund ("Strengthening..."); 0: not read

    def weight(self, word: Word, after: Word | None, lang: str) -> float:
        """What opening a sentence with `word` (then `after`) says for the axis (0: nothing)."""
        form = word.form
        if form in self.except_ or (after is not None and after.form in self.not_next):
            return 0.0
        if form in self.words or (form in self.verbs and word.lemma == form):
            return 1.0
        if self.gerunds and form.endswith(_GERUND[lang]) and (
                word.lemma in self.verbs or word.lemma in self.words):
            return self.gerunds
        return 0.0


_GERUND = {"es": ("ando", "iendo"), "en": ("ing",)}


@cache
def verbs(lang: str) -> frozenset[str]:
    """Folded infinitives (es) or base forms (en) of the language's verbs: the lemmas of its
    gerunds in the lemma table ("fortaleciendo" -> "fortalecer", "training" -> "train")."""
    ending = _GERUND[lang]
    return frozenset(fold(base) for form, base in lemma_table(lang).items()
                     if form.endswith(ending) and base != form and len(base) > 2
                     and (lang != "es" or base.endswith(("ar", "er", "ir", "ír"))))


def patterns_hash(codebook: Codebook) -> str:
    """Hash of the codebook and its pattern files: what a coding run depended on."""
    digest = hashlib.sha256(codebook.hash.encode())
    for path in pattern_files(codebook.path):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_LOADED: dict[str, dict[str, Patterns]] = {}  # by patterns_hash, the last few
_LOADED_KEEP = 4


def load(codebook: Codebook) -> dict[str, Patterns]:
    """Compiled patterns for every language that has a pattern file; raises on problems.

    Compiled once per content of the codebook and its pattern files: the coders of one
    process (autocode, the model's rule features, explain) share them and their word cache.
    """
    key = patterns_hash(codebook)
    if key in _LOADED:
        return _LOADED[key]
    found: dict[str, Patterns] = {}
    for path in pattern_files(codebook.path):
        marked, errors = read_patterns(path, codebook)
        if errors:
            raise QdaError(f"{len(errors)} problem(s) in the rule patterns; run 'qda codebook "
                           "check':\n" + "\n".join(f"  {e}" for e in errors))
        data = strip_lines(marked)
        found[data["language"]] = _compile(data)
        # the lexicon that tells slips from known words is read here, with the patterns,
        # not at the first long word: worker processes forked later share it
        _lexicon(data["language"])
    while len(_LOADED) >= _LOADED_KEEP:
        del _LOADED[next(iter(_LOADED))]
    _LOADED[key] = found
    return found


def _compile(data: dict[str, Any]) -> Patterns:
    lang = data["language"]
    patterns = Patterns(lang, {}, {}, [], {}, ())
    entries: list[tuple[str, str, str, str]] = []
    for kind in ("cues", "questions"):
        for axis, texts in (data.get(kind) or {}).items():
            entries += [(kind[:-1], axis, f"{lang}.{kind[:-1]}.{axis}", w) for w in texts]
    for name, topic in (data.get("topics") or {}).items():
        patterns.topics[name] = list(topic["codes"])
        entries += [("topic", name, f"{lang}.topic.{name}", w) for w in topic["words"]]
    for code, texts in (data.get("vetoes") or {}).items():
        entries += [("veto", code, f"{lang}.veto.{code}", w) for w in texts]
    # idioms that say nothing, matched so that no cue inside them counts ("tiene que ver")
    entries += [("neutral", "", f"{lang}.neutral", w) for w in data.get("neutral") or ()]
    vocabulary: set[str] = set()
    for kind, target, rule, text in entries:
        text = str(text)
        exact = text.startswith("=")  # "=hay que": these word forms only, no other tense
        text = text.lstrip("=")
        tokens = [w for w, _, _ in words(text)]
        keys = tuple((fold(t), fold(t)) if exact else patterns.keys(t) for t in tokens)
        phrase = Phrase(rule, kind, target, text, keys, exact)
        for first in {keys[0][0], keys[0][1]}:
            patterns.phrases.setdefault(first, []).append(phrase)
        if kind == "topic":  # slips are forgiven in what a passage is about, not in cues
            vocabulary.update(k[1] for k in keys if len(k[1]) >= FUZZY_MIN_LENGTH)
    patterns.vocabulary = tuple(sorted(vocabulary))
    for axis, lead in (data.get("openings") or {}).items():
        folded = {key: frozenset(fold(str(w)) for w in lead.get(key) or ())
                  for key in ("words", "except", "not_next")}
        patterns.leads.append(Lead(axis, verbs(lang) if lead.get("verbs") else frozenset(),
                                   folded["words"], folded["except"], folded["not_next"],
                                   float(lead.get("gerunds") or 0.0)))
    patterns.tokens = list(data.get("tokens") or [])
    patterns.token_codes = {e["id"]: e["code"] for e in patterns.tokens}
    if patterns.tokens:
        patterns.simple = _simple(patterns.tokens)
        if patterns.simple is None:  # spaCy, only for patterns that need its Matcher
            from spacy.matcher import Matcher

            patterns.matcher = Matcher(pipeline(lang).vocab)
            for entry in patterns.tokens:
                patterns.matcher.add(entry["id"], [entry["pattern"]])
        patterns.openings = _openings(patterns.tokens)
        patterns.loose = frozenset(i for i, (_, second) in enumerate(patterns.openings or ())
                                   if second is None)
        patterns.steps = _steps(patterns.tokens)
    return patterns


def _openings(entries: list[dict[str, Any]]
              ) -> list[tuple[frozenset[str], frozenset[str] | None]] | None:
    """Per token pattern, the folded words its first token can be and those its second can be
    (None when the second is not a fixed word): a match can only start where both fit. None
    when a pattern's first token is optional, negated or not a fixed word: it can start
    anywhere. Folded words cover more than the Matcher accepts; it has the last word."""
    found = []
    for entry in entries:
        pattern = entry["pattern"]
        first = _literals(pattern[0]) if _op(pattern[0]) in ("1", "+") else None
        if first is None:
            return None
        # the second word is checked only after a first that matches once, and if it must be
        second = _literals(pattern[1]) if len(pattern) > 1 and _op(pattern[0]) == "1" \
            and _op(pattern[1]) in ("1", "+") else None
        found.append((first, second))
    return found


def _op(token: dict[str, Any]) -> str:
    return str(token.get("OP", "1"))


def _literals(token: dict[str, Any]) -> frozenset[str] | None:
    """Folded words a token spec accepts; None if it is not limited to fixed words."""
    values = [v for attr in ("LOWER", "LEMMA", "ORTH", "TEXT") if attr in token
              for v in (token[attr].get("IN", []) if isinstance(token[attr], dict)
                        else [token[attr]])]
    return frozenset(fold(str(v)) for v in values) if values else None


# Attributes a Matcher tests on one token alone: with only these, a match found in a slice
# of a passage is the match in the whole passage (no sentence starts, no extensions).
_TOKEN_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "LEMMA", "NORM", "LENGTH", "IS_ALPHA",
                          "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
                          "IS_SPACE", "IS_STOP", "LIKE_NUM", "SHAPE", "PREFIX", "SUFFIX", "OP"})


def _steps(entries: list[dict[str, Any]]
           ) -> list[tuple[tuple[bool, frozenset[str] | None], ...]] | None:
    """Per token pattern and token: whether it may repeat (*, +, {n,m}) and the folded words
    it accepts; None when a pattern tests more than single tokens (see _TOKEN_ATTRS)."""
    if not all(set(token) <= _TOKEN_ATTRS for e in entries for token in e["pattern"]):
        return None
    return [tuple((_op(token) not in ("1", "?", "!"), _literals(token)) for token in e["pattern"])
            for e in entries]


def _simple(entries: list[dict[str, Any]]) -> list[tuple[tuple[int, int, Any], ...]] | None:
    """Per token pattern and token: (fewest, most repeats, test of a word's text and keys),
    the Matcher's semantics for plain words; None if some token needs more."""
    out = []
    for entry in entries:
        tokens = plain_pattern(entry["pattern"])
        if tokens is None:
            return None
        out.append(tuple((fewest, most, _word_test(checks)) for fewest, most, checks in tokens))
    return out


def _word_test(checks: tuple[tuple[str, Any], ...]) -> Any:
    """Whether a word (its text and keys) passes every (attribute, wanted value) check, as
    the Matcher reads them on a Doc made of these words and lemmas."""
    def test(text: str, key: Word) -> bool:
        for attr, want in checks:
            if attr == "IS_ALPHA":
                value: Any = text.isalpha()
                if value != want:
                    return False
                continue
            value = text.lower() if attr == "LOWER" else key.lemma if attr == "LEMMA" else text
            if not (value in want if isinstance(want, frozenset) else value == want):
                return False
        return True
    return test


_WORD = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")
_PIECE = re.compile(rf"\s*(?:{_WORD.pattern})")  # a word and the space before it


def words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word and punctuation mark: a fast, simple tokenizer
    shared by pattern phrases and passages so both are cut the same way."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def is_known_word(word: str, lang: str) -> bool:
    """A word that is a lemma of the lemma table is spelled right; only unknown
    words are fuzzy-matched, so 'funcionario' never passes for 'funcionar'."""
    return fold(word) in _lexicon(lang)


@cache
def _lexicon(lang: str) -> frozenset[str]:
    return frozenset(map(fold, set(lemma_table(lang).values())))

