"""Judgment texts for the checker's tests: a consistent civil judgment and a criminal one.

`civil(**parts)` fills the civil template; a test changes one part (a numeral form, a date, a name)
and checks what the checker says about exactly that place.
"""

from __future__ import annotations

CIVIL_PARTS: dict[str, str] = {
    "filed": "2023年4月10日",
    "heard": "2023年5月8日",
    "signed": "二〇二三年五月二十日",
    "loan_date": "2022年3月5日",
    "due": "2022年9月5日",
    "principal_claim": "12000元",
    "principal_iou": "壹万贰仟元整",
    "principal_found": "12,000元",
    "principal_court": "1.2万元",
    "repaid_1": "2000元",
    "repaid_2": "三千元",
    "repaid_total": "5000元",
    "owed": "7000元",
    "calc": "12000元－5000元＝7000元",
    "order": "7000元",
    "interest": "63.70元",
    "rate": "年利率3.65%",
    "from": "2022年9月6日",
    "to": "2022年12月5日",
    "id_number": "33010619850312001X",
    "plaintiff_court": "原告张伟",
    "defendant_court": "被告李强",
    "law": "中华人民共和国民法典",
    "article": "第六百七十五条",
    "quote": "借款人应当按照约定的期限返还借款。……",
}

CIVIL = """浙江省杭州市西湖区人民法院
民事判决书
（2023）浙0106民初1234号
原告：张伟，男，1985年3月12日出生，汉族，住浙江省杭州市西湖区文三路100号，公民身份号码{id_number}。
被告：李强，男，1988年7月20日出生，汉族，住浙江省杭州市拱墅区湖墅南路50号。
原告张伟与被告李强民间借贷纠纷一案，本院于{filed}立案后，依法适用简易程序，于{heard}公开开庭进行了审理。原告张伟、被告李强到庭参加诉讼。本案现已审理终结。
原告张伟向本院提出诉讼请求：1.判令被告李强偿还借款本金{principal_claim}；2.判令被告李强支付利息。事实和理由：{loan_date}，被告李强向原告张伟借款{principal_iou}，约定于{due}前归还。
被告李强辩称，借款属实，但已归还部分款项。
经审理查明：{loan_date}，被告李强向原告张伟借款{principal_found}，出具借条一份，载明借款金额为人民币{principal_iou}。被告李强于2022年10月1日还款{repaid_1}，于2022年11月1日还款{repaid_2}，共计{repaid_total}。
本院认为，合法的借贷关系受法律保护。{defendant_court}向原告张伟借款{principal_court}，已还款5000元，尚欠{owed}（{calc}），应予归还。依照《{law}》{article}规定：“{quote}”，判决如下：
一、被告李强于本判决生效之日起十日内偿还{plaintiff_court}借款本金{order}；
二、被告李强于本判决生效之日起十日内支付原告张伟利息（以7000元为基数，自{from}起按{rate}计算至{to}止，利息为{interest}）；
三、驳回原告张伟的其他诉讼请求。
案件受理费50元，由被告李强负担。
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于浙江省杭州市中级人民法院。
审判员　王某某
{signed}
书记员　陈某
"""

CRIMINAL = """浙江省三门县人民法院 刑事判决书 （2018）浙1022刑初41号 公诉机关浙江省三门县人民检察院。 \
被告人吴某1，男，{born}出生，汉族，初中文化，住浙江省三门县。因涉嫌犯盗窃罪于2017年12月23日被刑事拘留，\
2018年1月5日被逮捕。 辩护人何晓佳，浙江持正律师事务所律师。 浙江省三门县人民检察院以三检刑诉［2018］39号\
起诉书指控被告人吴某1犯盗窃罪，于2018年1月20日向本院提起公诉。本院依法适用简易程序，实行独任审判，\
公开开庭审理了本案。被告人吴某1及其辩护人何晓佳到庭参加诉讼。现已审理终结。 三门县人民检察院指控，\
2017年12月20日，{accused}在三门县海游街道窃得被害人叶某1的手机一部，价值人民币3593元。 \
本院认为，{convicted}以非法占有为目的，窃取他人财物价值人民币{value}，数额较大，其行为已构成盗窃罪。\
依照《中华人民共和国刑法》{article}之规定，判决如下： 被告人吴某1犯盗窃罪，判处有期徒刑{term}，\
并处罚金人民币二千元。 （刑期从判决执行之日起计算。判决执行以前先行羁押的，羁押一日折抵刑期一日，\
即自2017年12月23日起至{release}止。） 如不服本判决，可在接到判决书的第二日起十日内提出上诉。 \
审判员林菁优 {signed} 书记员杨鸯 附：《中华人民共和国刑法》 {appendix_article}盗窃公私财物，数额较大的，\
或者多次盗窃、入户盗窃、携带凶器盗窃、扒窃的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金。"""

CRIMINAL_PARTS: dict[str, str] = {
    "born": "2000年3月17日",
    "accused": "被告人吴某1",
    "convicted": "被告人吴某1",
    "value": "3593元",
    "article": "第二百六十四条",
    "term": "六个月",
    "release": "2018年6月22日",
    "signed": "二〇一八年二月八日",
    "appendix_article": "第二百六十四条",
}


def civil(**parts: str) -> str:
    """The civil judgment with some parts replaced."""
    unknown = set(parts) - set(CIVIL_PARTS)
    if unknown:
        raise KeyError(f"no such part: {sorted(unknown)}")
    return CIVIL.format(**{**CIVIL_PARTS, **parts})


def criminal(**parts: str) -> str:
    """The criminal judgment with some parts replaced."""
    unknown = set(parts) - set(CRIMINAL_PARTS)
    if unknown:
        raise KeyError(f"no such part: {sorted(unknown)}")
    return CRIMINAL.format(**{**CRIMINAL_PARTS, **parts})


def span_of(text: str, part: str, occurrence: int = 1) -> tuple[int, int]:
    """Where the n-th occurrence of `part` is in `text`."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(part, pos + 1)
    return pos, pos + len(part)
