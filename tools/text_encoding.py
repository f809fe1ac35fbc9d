"""Which encoding a case document is in: UTF-8 (with or without BOM), else GBK/GB18030, else refused.

Court materials on Chinese desktops are often saved in GBK (Windows' "ANSI"). GB18030 decodes
almost any byte string without error, so a successful decode proves little: the decoded text must
also read like Chinese — printable characters only, no kana or hangul, and most of its Han
characters among the 1,500 most frequent (`tools/data/common_hanzi.json`). Big5, Shift-JIS,
EUC-KR, Latin-1 and random bytes fail that test and are refused with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

Encoding = Literal["utf-8", "utf-8-sig", "gbk", "gb18030"]
Refusal = Literal["empty", "nul", "utf16", "utf32", "format", "unknown"]

UTF8_BOM = b"\xef\xbb\xbf"
# Leading bytes of formats people save with a .txt name by mistake (name shown in the message).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX/XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/WPS"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"\x1f\x8b", "GZIP"),
)
LEGACY: tuple[Encoding, ...] = ("gbk", "gb18030")
MIN_CJK_FOR_RATIO = 20
COMMON_RATIO = 0.6
PLAUSIBLE_RATIO = 0.97
_PUNCTUATION = set("、。〈〉《》「」『』【】〔〕〖〗〇·—…‘’“”〃々～￥×÷±≤≥℃№§")


@dataclass(frozen=True)
class Detection:
    """The outcome for one file: the encoding to decode with, or why it is refused."""

    encoding: Encoding | None
    refusal: Refusal | None = None
    detail: str = ""

    @property
    def converted(self) -> bool:
        """True when the text was not UTF-8 and is converted on reading."""
        return self.encoding in ("gbk", "gb18030")


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """The 1,500 most frequent Han characters (from the data file)."""
    raw = resources.files("judgeflow.tools").joinpath("data/common_hanzi.json").read_text(encoding="utf-8")
    return frozenset(json.loads(raw)["characters"])


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _plausible_char(ch: str) -> bool:
    """Characters a Chinese court document plausibly holds (ASCII, Han, CJK punctuation, full-width)."""
    code = ord(ch)
    return (
        (0x20 <= code < 0x7F)
        or ch in "\t\n\r\f"
        or _is_cjk(ch)
        or 0xFF01 <= code <= 0xFF5E  # full-width forms
        or ch in _PUNCTUATION
        or ch == "\u3000"
        or 0x2160 <= code <= 0x217F  # Roman numerals
        or 0x2460 <= code <= 0x249B  # circled and parenthesised numbers
    )


def reads_as_chinese(text: str) -> bool:
    """True when a text decoded from a legacy encoding reads like Chinese rather than mojibake."""
    if not text.strip():
        return False
    plausible = sum(1 for ch in text if _plausible_char(ch))
    if plausible < PLAUSIBLE_RATIO * len(text):
        return False
    han = [ch for ch in text if _is_cjk(ch)]
    if not han:
        return False
    common = sum(1 for ch in han if ch in common_hanzi())
    if len(han) < MIN_CJK_FOR_RATIO:
        return common * 2 >= len(han)
    return common >= COMMON_RATIO * len(han)


def _reads_as_utf16(data: bytes) -> bool:
    """True when NUL-laden bytes are UTF-16 text without a byte-order mark."""
    head = data[: 4096 - 4096 % 2] if len(data) % 2 == 0 or len(data) > 4096 else b""
    for variant in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(variant)
        except UnicodeDecodeError:
            continue
        if text and sum(1 for ch in text if _plausible_char(ch)) >= PLAUSIBLE_RATIO * len(text):
            return True
    return False


def detect_encoding(data: bytes) -> Detection:
    """Decide how to read a document's bytes: UTF-8 first, then GBK/GB18030 if it reads as Chinese."""
    if not data:
        return Detection(None, "empty")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return Detection(None, "utf32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Detection(None, "utf16")
    for magic, name in MAGIC:
        if data.startswith(magic):
            return Detection(None, "format", name)
    if b"\x00" in data:
        if _reads_as_utf16(data):
            return Detection(None, "utf16", "no BOM")
        return Detection(None, "nul")
    if data.startswith(UTF8_BOM):
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Detection(None, "unknown", f"UTF-8 BOM but invalid UTF-8 at byte {exc.start}")
        return Detection("utf-8-sig")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    else:
        return Detection("utf-8")
    for legacy in LEGACY:
        try:
            text = data.decode(legacy)
        except UnicodeDecodeError:
            continue
        if reads_as_chinese(text):
            return Detection(legacy)
        return Detection(None, "unknown", f"decodes as {legacy.upper()} but does not read as Chinese")
    return Detection(None, "unknown", f"not UTF-8 (byte {utf8_error}) nor GBK/GB18030")


def decode(data: bytes, detection: Detection) -> str:
    """The text of `data` in the detected encoding (a BOM is dropped)."""
    if detection.encoding is None:
        raise ValueError(f"cannot decode: {detection.refusal}")
    return data.decode(detection.encoding)
