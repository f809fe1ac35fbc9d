"""Encoding detection: UTF-8 and GBK/GB18030 read, everything else refused with the reason."""

from __future__ import annotations

import random

import pytest
from judgeflow.tools.text_encoding import decode, detect_encoding, reads_as_chinese

TEXT = (
    "民事起诉状\n原告：张三，男，汉族。被告因资金周转需要向原告借款五万元，约定借款期限六个月，到期未还。\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gbk"),
        ((TEXT + "𠀾").encode("gb18030"), "gb18030"),
        (b"plain ASCII is UTF-8", "utf-8"),
    ],
)
def test_readable_encodings(data: bytes, encoding: str) -> None:
    detection = detect_encoding(data)
    assert detection.encoding == encoding
    assert decode(data, detection).removeprefix("\ufeff").startswith(("民事起诉状", "plain"))
    assert detection.converted == (encoding in ("gbk", "gb18030"))


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (b"", "empty"),
        (TEXT.encode("utf-16"), "utf16"),
        (TEXT.encode("utf-16-be"), "utf16"),
        (TEXT.encode("utf-32"), "utf32"),
        (b"%PDF-1.4\n", "format"),
        (b"abc\x00def\xff\xfe\x00\x01", "nul"),
        (TEXT.encode("big5", errors="ignore"), "unknown"),
        ("東京地方裁判所は原告の請求を棄却する。".encode("euc_jp"), "unknown"),
    ],
)
def test_refused(data: bytes, refusal: str) -> None:
    assert detect_encoding(data).refusal == refusal


def test_random_bytes_are_never_taken_for_chinese() -> None:
    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.randrange(128, 256) for _ in range(rng.randrange(40, 400)))
        assert detect_encoding(data).encoding is None


def test_reads_as_chinese() -> None:
    assert reads_as_chinese(TEXT)
    assert not reads_as_chinese(
        "措茄刮惫 清过 力1炼 措茄刮惫篮 刮林傍拳惫捞促. 措茄刮惫狼 林鼻篮 惫刮俊霸 乐绊"
    )
    assert not reads_as_chinese("   ")
