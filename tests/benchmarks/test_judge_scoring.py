"""JuDGE's measures read from judgment texts, and the per-case averaged scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from judgeflow.benchmarks import judge_sentencing
from judgeflow.benchmarks.judge_scoring import (
    JudgmentReading,
    charges_in_judgment,
    closeness,
    criminal_law_articles,
    fine_yuan,
    prison_months,
    read_judgment,
    score,
)

DEV = Path(__file__).resolve().parents[3] / "shared" / "bench" / "judge" / "dev.jsonl"

ONE = (
    "本院认为，被告人范博违反国家毒品管理法规，贩卖毒品，其行为已构成贩卖毒品罪。依照《中华人民共和国刑法》"
    "第三百四十七条一、四款，第三百五十六条，第六十七条三款，第六十四条，第五十三条及《中华人民共和国刑事诉讼法》"
    "第二百零一条之规定，判决如下： 一、被告人范博犯贩卖、运输毒品罪，判处有期徒刑一年七个月，并处罚金人民币二万元。"
    "二、被告人马佳伟犯贩卖毒品罪，判处拘役四个月，缓刑六个月，并处罚金人民币一万元。"
    "如不服本判决，可在接到判决书的第二日起十日内提出上诉。审判员孙昌松 附：相关法律条文 《中华人民共和国刑法》"
    "第三百四十八条 非法持有毒品……第七十二条 对于被判处拘役……"
)

SEVERAL = (
    "依照《中华人民共和国刑法》第二百六十六条、第二百九十五条、第六十九条第一款之规定，判决如下："
    "被告人尹华松犯诈骗罪，判处有期徒刑三年三个月，并处罚金人民币三万元；犯传授犯罪方法罪，判处有期徒刑六个月。"
    "数罪并罚，决定执行有期徒刑三年六个月，并处罚金人民币三万元。如不服本判决，可以上诉。"
)


def test_reads_the_main_part_only() -> None:
    assert charges_in_judgment(ONE) == {"贩卖、运输毒品罪", "贩卖毒品罪"}
    assert criminal_law_articles(ONE) == {347, 356, 67, 64, 53}  # not 201 (刑事诉讼法), not 348/72 (附)
    assert prison_months(ONE) == 19 + 4  # suspended detention counts its term, not its probation
    assert fine_yuan(ONE) == 30000


def test_several_charges_use_the_sentence_to_be_served() -> None:
    assert charges_in_judgment(SEVERAL) == {"诈骗罪", "传授犯罪方法罪"}
    assert criminal_law_articles(SEVERAL) == {266, 295, 69}
    assert prison_months(SEVERAL) == 42
    assert fine_yuan(SEVERAL) == 30000


def test_life_death_and_exemption() -> None:
    assert (
        prison_months("判决如下：被告人甲某犯故意杀人罪，判处无期徒刑，剥夺政治权利终身。如不服本判决") == 240
    )
    assert prison_months("判决如下：被告人甲某犯故意杀人罪，判处死刑，剥夺政治权利终身。如不服本判决") is None
    assert prison_months("判决如下：被告人甲某犯盗窃罪，免予刑事处罚。如不服本判决") == 0
    assert prison_months("没有判决主文") is None


def test_closeness_and_scores() -> None:
    assert closeness(6, 12) == 0.5
    assert closeness(None, 12) == 0.0
    assert closeness(None, None) is None
    gold = JudgmentReading(frozenset({"盗窃罪"}), frozenset({264, 67}), 12.0, 2000.0)
    gen = JudgmentReading(frozenset({"盗窃罪", "诈骗罪"}), frozenset({264}), 6.0, None)
    s = score([(gen, gold), (gold, gold)])
    assert s.charge_precision == pytest.approx(0.75) and s.charge_recall == 1.0
    assert s.article_precision == 1.0 and s.article_recall == pytest.approx(0.75)
    assert s.prison == pytest.approx(0.75) and s.fine == pytest.approx(0.5)
    assert s.counts == {"charges": 2, "articles": 2, "prison": 2, "fine": 2}


@pytest.mark.skipif(not DEV.is_file(), reason="JuDGE dev split not present")
def test_gold_against_gold_and_article_agreement() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    readings = [read_judgment(r["document"]) for r in rows]
    s = score([(r, r) for r in readings])
    assert (s.charge_f1, s.article_f1, s.prison, s.fine) == (1.0, 1.0, 1.0, 1.0)
    assert s.counts["prison"] == len(rows)
    agree = sum(set(r["articles"]) == set(x.articles) for r, x in zip(rows, readings, strict=True))
    assert agree / len(rows) >= 0.95


def test_benchmark_skips_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert judge_sentencing.main(["--data", str(tmp_path / "absent.jsonl")]) == 0
    assert "跳过" in capsys.readouterr().err


def test_benchmark_runs_on_a_small_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = {
        "fact": "公诉机关指控，被告人穆某醉酒驾驶机动车，经检测，其血液中乙醇含量为95mg/100ml。被告人穆某如实供述。",
        "articles": [133, 67],
        "document": "依照《中华人民共和国刑法》第一百三十三条之一、第六十七条第三款之规定，判决如下："
        "被告人穆某犯危险驾驶罪，判处拘役一个月，并处罚金人民币二千元。如不服本判决",
    }
    data = tmp_path / "dev.jsonl"
    data.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert judge_sentencing.main(["--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "pipeline" in out and "1.000" in out
