"""Text normalisation: repair mojibake, compose Unicode, tidy whitespace; and the duplicate-hash key.

The cleaned text is the single source of truth for every later stand-off span, so normalisation is
done once, here, and never again downstream.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Curly quotes stay curly: analysts quote articles back and "‘Withdrawal,’" must read as printed.
# ftfy still repairs mojibake ("â€™" → "’"), ligatures, full-width letters and line breaks.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC")

# Horizontal spaces that are not plain spaces (NBSP, thin/figure/ideographic spaces, tabs) all become
# " ". Zero-width characters are dropped: they split words for every later tokenizer.
_SPACE_CHARS = (
    "\t\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_SPACE_TABLE = str.maketrans(
    {**{c: " " for c in _SPACE_CHARS}, "\u200b": None, "\u200c": None, "\u2060": None, "\ufeff": None}
)
# When to call ftfy (about 1 ms on an article, most of it spent proving clean text clean): mojibake
# shows as a Latin-1 lead character ("Ã", "â", "Ð") followed by a character a UTF-8 continuation
# byte becomes under Latin-1/cp1252 ("â€™", "Ã©", "Ð¼"); the other repairs are for ligatures,
# full-width forms, C0/C1 controls and HTML entities. Anything else goes through NFC only.
_FTFY_TRIGGERS = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\ufb00-\ufb06\uff01-\uff5e\x00-\x08\x0e-\x1f\x7f-\x9f]|&#?[a-zA-Z0-9]+;"
)
_LINE_SEPARATORS = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")
# A sentence's full stop with the next sentence glued to it, as pages join two paragraphs ("worked as
# a chief physician.Police arrested …"): a word of letters ending in lower case, a stop, a capitalised
# word. Not inside an address ("www.DearAbby.com", "user@Mail.com") nor an abbreviation ("U.S.Army").
_GLUED_SENTENCE = re.compile(r"(?<![\w./@])([A-Za-z]*[a-z]{2}\.)([A-Z][a-z]+)(?![\w.@/])")


# Enough for every input we have seen (hypothesis finds at most two passes of change); a text still
# changing after this many is returned as the last pass left it.
_MAX_PASSES = 4


def normalize_text(text: str) -> str:
    """Return ``text`` repaired and tidied: NFC, one space between words, ``\\n\\n`` between paragraphs,
    a space after a full stop that glues two sentences together ("physician.Police").

    Single line breaks are kept (they separate lines of a header or a bio from its heading); runs of
    blank lines become one blank line; lines lose leading and trailing spaces.

    Idempotent: ``normalize_text(normalize_text(x)) == normalize_text(x)``. One pass is not (ftfy judges
    mojibake line by line, so turning a lone ``\\r`` into a line break can expose a "line" ftfy then
    repairs; dropping a zero-width space can join the two halves of a mojibake pair), so passes repeat
    until the text stops changing. Clean text costs one extra cheap pass (no ftfy).
    """
    for _ in range(_MAX_PASSES):
        tidied = _normalize_once(text)
        if tidied == text:
            break
        text = tidied
    return text


def _normalize_once(text: str) -> str:
    if _FTFY_TRIGGERS.search(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    elif not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _LINE_SEPARATORS.sub("\n", text).translate(_SPACE_TABLE)
    text = _GLUED_SENTENCE.sub(r"\1 \2", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


# Punctuation and symbols (anything neither a word character nor a space), and "_".
_NOT_WORD = re.compile(r"[^\w\s]|_")
_WHITESPACE = re.compile(r"\s+")


def normalize_for_hash(text: str) -> str:
    """Return the key exact-duplicate detection hashes: casefolded, NFKC, punctuation-free, one space.

    Two copies of an article that differ only in curly vs straight quotes, dash styles, case or line
    wrapping get the same key.
    """
    text = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _WHITESPACE.sub(" ", text).strip()
