"""Charges read from cues are checked against what the facts must show for them."""

from __future__ import annotations

from judgeflow.agents.criminal.charges import read_charges

CRASH_DRUNK = (
    "2018年5月21日1时许，被告人张某醉酒后无证驾驶无号牌二轮摩托车，与停在路南侧的重型半挂牵引车尾部相撞，"
    "造成张某受伤，车辆损坏的交通事故，被告人张某负事故的主要责任。经鉴定，被告人张某送检血液中乙醇含量为"
    "212.03mg／100ml。"
)


def test_a_crash_without_death_or_serious_injury_by_a_drunk_driver_is_dangerous_driving() -> None:
    (charge,) = read_charges(CRASH_DRUNK)
    assert charge.name == "危险驾驶罪" and charge.articles == ("133之一",) and charge.basis == "事实"


def test_a_crash_that_kills_stays_a_traffic_accident_crime() -> None:
    text = CRASH_DRUNK.replace("造成张某受伤，车辆损坏的交通事故", "造成行人李某当场死亡的交通事故")
    assert read_charges(text)[0].name == "交通肇事罪"


def test_bribery_for_an_organisation_is_the_units_charge() -> None:
    text = (
        "2016年期间，被告单位某某有限公司为谋取本单位不正当利益，由被告人李某先后向拆迁安置办公室主任芮某"
        "行贿，送给芮某现金人民币11万元。"
    )
    assert read_charges(text)[0].name == "单位行贿罪"
    assert read_charges(text.replace("被告单位", "").replace("本单位", "其个人"))[0].name == "行贿罪"


def test_a_charge_the_prosecution_names_stands_as_named() -> None:
    text = CRASH_DRUNK + "公诉机关认为，被告人张某的行为构成交通肇事罪。"
    assert read_charges(text)[0].name == "交通肇事罪"


def test_a_death_written_as_shenwang_keeps_the_traffic_charge() -> None:
    text = CRASH_DRUNK.replace("造成张某受伤，车辆损坏的交通事故", "造成乘客李某经抢救无效身亡的交通事故")
    assert read_charges(text)[0].name == "交通肇事罪"


def test_every_charge_the_prosecution_lists_is_read() -> None:
    # "…犯罪事实清楚，证据确实、充分，应以开设赌场罪、非法持有枪支罪追究其刑事责任": both charges, the first
    # one too although the words before it (应以) run into its name.
    text = (
        "被告人魏某以营利为目的开设赌场，并非法持有枪支一支。公诉机关认为，被告人魏某的行为触犯了刑法，"
        "犯罪事实清楚，证据确实、充分，应以开设赌场罪、非法持有枪支罪追究其刑事责任。"
    )
    assert [c.name for c in read_charges(text)] == ["开设赌场罪", "非法持有枪支罪"]


def test_the_defences_view_of_the_charge_is_not_a_charge() -> None:
    text = (
        "公诉机关认为，被告人文某伙同他人开设赌场，犯罪事实清楚，证据确实、充分，应当以开设赌场罪追究其刑事责任。"
        "被告人文某对起诉书指控的主要事实和罪名均持异议，提出其仅仅是参与聚众赌博，应构成赌博罪，而非开设赌场罪。"
    )
    assert [c.name for c in read_charges(text)] == ["开设赌场罪"]
