"""A hand-built CaseState for a small private-lending case (民间借贷纠纷), as the agents would leave it.

张伟 lent 李强 100000元 on a 借条 of 2023-03-10 (delivered 2023-03-11, 月利率1%, due 2023-09-10),
guaranteed jointly by 王芳; 李强 repaid 20000元 on 2023-10-15. The figures below were worked out
once by hand (interest first, then principal, 民法典第五百六十一条) and are fixed here on purpose:
the tests compare the draft with them, not with any tool's output.
"""

from __future__ import annotations

from judgeflow.graph.state import (
    Actor,
    ApproveDecision,
    CaseInfo,
    CaseState,
    ComputationStep,
    Conclusion,
    CounterArgument,
    Document,
    EditDecision,
    Fact,
    Origin,
    Span,
    StatuteRef,
    Syllogism,
)

COMPLAINT = (
    "民事起诉状\n"
    "原告：张伟，男，1985年3月12日出生，汉族，住浙江省杭州市西湖区文三路100号。\n"
    "被告：李强，男，1988年7月20日出生，汉族，住浙江省杭州市拱墅区湖墅南路50号。\n"
    "被告：王芳，女，1990年11月5日出生，汉族，住浙江省杭州市上城区解放路8号。\n"
    "诉讼请求：1.判令被告李强偿还借款本金100000元；"
    "2.判令被告李强以100000元为基数按年利率12%支付自2023年3月11日起至实际清偿之日止的利息；"
    "3.判令被告王芳对上述债务承担连带清偿责任；4.本案诉讼费用由被告负担。\n"
    "事实与理由：2023年3月10日，被告李强向原告借款100000元，出具借条，约定月利率1%，"
    "于2023年9月10日前归还，被告王芳作为连带责任保证人在借条上签字。"
    "原告于2023年3月11日转账交付借款。被告李强于2023年10月15日归还20000元，余款未还。"
    "2024年1月5日原告向王芳催收。\n"
)
ANSWER = (
    "答辩状\n李强：借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行。\n"
    "王芳：保证期间已过，不应承担保证责任。\n"
)

PLAINTIFF = "张伟"
BORROWER = "李强"
GUARANTOR = "王芳"

PRINCIPAL_ORDER = "被告李强于本判决生效之日起十日内偿还原告张伟借款本金87167.12元"
INTEREST_ORDER = (
    "被告李强于本判决生效之日起十日内支付原告张伟利息"
    "（以87167.12元为基数，自2023年10月15日起按年利率12%计算至实际清偿之日止）"
)
GUARANTEE_ORDER = (
    "被告王芳对本判决第一项、第二项确定的债务承担连带清偿责任；被告王芳承担保证责任后，有权向被告李强追偿"
)
COSTS_ORDER = "案件受理费2300元，减半收取计1150元，由原告张伟负担147.58元，由被告李强、王芳负担1002.42元"


def _fact(
    fid: str, kind: str, label: str, value: str, quote: str = "", doc: Document | None = None, **details: str
) -> Fact:
    """A ledger fact: read from `doc` at `quote` when given, else supplied by the clerk."""
    if quote and doc is not None:
        start = doc.text.index(quote)
        span = Span(document_id=doc.id, start=start, end=start + len(quote), quote=quote)
        return Fact(
            id=fid,
            kind=kind,
            label=label,
            value=value,
            details=details,  # type: ignore[arg-type]
            spans=[span],
            origin=Origin(kind="document", name="extract_facts:rules"),
        )
    return Fact(
        id=fid,
        kind=kind,
        label=label,
        value=value,
        details=details,  # type: ignore[arg-type]
        origin=Origin(kind="human", name="clerk:陈某"),
    )


def _statute(short: str, article: int, label: str, text: str, claims: list[str]) -> StatuteRef:
    law = {"民法典": "中华人民共和国民法典", "民事诉讼法": "中华人民共和国民事诉讼法"}[short]
    return StatuteRef(
        id=f"{short}:{article}",
        law=law,
        short_name=short,
        article=article,
        article_label=label,
        text=text,
        status="现行有效",
        effective_date="2021-01-01" if short == "民法典" else "2024-01-01",
        reason="借贷规则表",
        claim_ids=claims,
        source="fixture",
    )


def documents() -> list[Document]:
    """The complaint and the answer."""
    return [
        Document(id="D1", kind="起诉状", filename="起诉状.txt", text=COMPLAINT),
        Document(id="D2", kind="答辩状", filename="答辩状.txt", text=ANSWER),
    ]


def facts(docs: list[Document]) -> list[Fact]:
    """The approved fact ledger."""
    d1, d2 = docs
    return [
        _fact(
            "F1",
            "party",
            "原告",
            PLAINTIFF,
            "原告：张伟",
            d1,
            role="原告",
            capacity="出借人",
            gender="男",
            birth_date="1985-03-12",
            ethnicity="汉族",
            address="浙江省杭州市西湖区文三路100号",
            id_number="330106198503121234",
            person="自然人",
        ),
        _fact(
            "F2",
            "party",
            "被告",
            BORROWER,
            "被告：李强",
            d1,
            role="被告",
            capacity="借款人",
            gender="男",
            birth_date="1988-07-20",
            ethnicity="汉族",
            address="浙江省杭州市拱墅区湖墅南路50号",
            person="自然人",
        ),
        _fact(
            "F3",
            "party",
            "被告",
            GUARANTOR,
            "被告：王芳",
            d1,
            role="被告",
            capacity="保证人",
            gender="女",
            birth_date="1990-11-05",
            ethnicity="汉族",
            address="浙江省杭州市上城区解放路8号",
            person="自然人",
        ),
        _fact("F4", "amount", "借款本金", "100000.00", "借款100000元", d1, purpose="principal"),
        _fact("F5", "date", "借条出具日期", "2023-03-10", "2023年3月10日", d1, purpose="contract_date"),
        _fact(
            "F6",
            "date",
            "借款交付日期",
            "2023-03-11",
            "原告于2023年3月11日转账交付借款",
            d1,
            purpose="loan_date",
        ),
        _fact("F7", "date", "约定还款日期", "2023-09-10", "于2023年9月10日前归还", d1, purpose="due_date"),
        _fact(
            "F8",
            "rate",
            "约定利率",
            "0.12",
            "约定月利率1%",
            d1,
            stated="月利率1%",
            basis="month",
            purpose="interest",
        ),
        _fact(
            "F10",
            "repayment",
            "还款",
            "20000.00",
            "被告李强于2023年10月15日归还20000元",
            d1,
            date="2023-10-15",
            applied_to="unspecified",
        ),
        _fact(
            "F11",
            "guarantee",
            "保证",
            GUARANTOR,
            "被告王芳作为连带责任保证人在借条上签字",
            d1,
            type="连带责任保证",
            period="6 months",
            scope="借款本息",
        ),
        _fact(
            "F12",
            "date",
            "向保证人主张权利",
            "2024-01-05",
            "2024年1月5日原告向王芳催收",
            d1,
            purpose="demand_date",
            party=GUARANTOR,
        ),
        _fact(
            "F13", "evidence", "证据", "借条", submitted_by=PLAINTIFF, purpose="证明借贷关系", admitted="yes"
        ),
        _fact(
            "F14",
            "evidence",
            "证据",
            "银行转账凭证",
            submitted_by=PLAINTIFF,
            purpose="证明交付借款",
            admitted="yes",
        ),
        _fact(
            "F15",
            "defence",
            "李强的抗辩",
            "借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行",
            "借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行",
            d2,
            party=BORROWER,
            topic="principal",
        ),
        _fact(
            "F16",
            "defence",
            "王芳的抗辩",
            "保证期间已过，不应承担保证责任",
            "保证期间已过，不应承担保证责任",
            d2,
            party=GUARANTOR,
            topic="guarantee_period",
        ),
        _fact(
            "F20",
            "claim",
            "诉讼请求1",
            "判令被告李强偿还借款本金100000元",
            "判令被告李强偿还借款本金100000元",
            d1,
            index="1",
            type="principal",
            amount="100000.00",
            defendants=BORROWER,
        ),
        _fact(
            "F21",
            "claim",
            "诉讼请求2",
            "判令被告李强以100000元为基数按年利率12%支付自2023年3月11日起至实际清偿之日止的利息",
            "判令被告李强以100000元为基数按年利率12%支付自2023年3月11日起至实际清偿之日止的利息",
            d1,
            index="2",
            type="interest",
            rate="0.12",
            from_date="2023-03-11",
            defendants=BORROWER,
        ),
        _fact(
            "F22",
            "claim",
            "诉讼请求3",
            "判令被告王芳对上述债务承担连带清偿责任",
            "判令被告王芳对上述债务承担连带清偿责任",
            d1,
            index="3",
            type="guarantee",
            defendants=GUARANTOR,
        ),
        _fact(
            "F23",
            "claim",
            "诉讼请求4",
            "本案诉讼费用由被告负担",
            "本案诉讼费用由被告负担",
            d1,
            index="4",
            type="costs",
        ),
    ]


def statutes() -> list[StatuteRef]:
    """The approved statutes (short texts), 民法典 first, then the procedural article."""
    return [
        _statute(
            "民法典",
            561,
            "第五百六十一条",
            "债务人在履行主债务外还应当支付利息和实现债权的有关费用……",
            ["F20", "F21"],
        ),
        _statute(
            "民法典",
            667,
            "第六百六十七条",
            "借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。",
            ["F20"],
        ),
        _statute("民法典", 674, "第六百七十四条", "借款人应当按照约定的期限支付利息。", ["F21"]),
        _statute("民法典", 675, "第六百七十五条", "借款人应当按照约定的期限返还借款。", ["F20"]),
        _statute(
            "民法典",
            676,
            "第六百七十六条",
            "借款人未按照约定的期限返还借款的，应当按照约定或者国家有关规定支付逾期利息。",
            ["F21"],
        ),
        _statute("民法典", 679, "第六百七十九条", "自然人之间的借款合同，自贷款人提供借款时成立。", ["F20"]),
        _statute(
            "民法典",
            688,
            "第六百八十八条",
            "当事人在保证合同中约定保证人和债务人对债务承担连带责任的，为连带责任保证。",
            ["F22"],
        ),
        _statute("民法典", 692, "第六百九十二条", "保证期间是确定保证人承担保证责任的期间……", ["F22"]),
        _statute(
            "民法典",
            700,
            "第七百条",
            "保证人承担保证责任后，除当事人另有约定外，有权在其承担保证责任的范围内向债务人追偿……",
            ["F22"],
        ),
        _statute(
            "民事诉讼法",
            264,
            "第二百六十四条",
            "被执行人未按判决、裁定和其他法律文书指定的期间履行给付金钱义务的，应当加倍支付迟延履行期间的债务利息。",
            [],
        ),
    ]


def _step(label: str, formula: str, result: str) -> ComputationStep:
    return ComputationStep(label=label, formula=formula, result=result)


def syllogisms() -> list[Syllogism]:
    """One syllogism per claim, as the judge confirmed them."""
    judge = "judge:王某某"
    return [
        Syllogism(
            id="S1",
            claim_id="F20",
            issue="李强应否返还借款本金及尚欠本金数额",
            major_premise=["民法典:667", "民法典:675", "民法典:679", "民法典:561"],
            minor_premise=["F20", "F4", "F5", "F6", "F7", "F10", "F15"],
            reasoning=(
                "张伟与李强之间的借款合同系双方真实意思表示，不违反法律、行政法规的强制性规定，合法有效。"
                "张伟已于2023年3月11日向李强提供借款100000元，约定于2023年9月10日前归还，借款合同自提供借款时成立。"
                "李强未按约定期限返还借款，应当承担返还借款的责任。扣除已还款项中抵充本金的部分，尚欠借款本金87167.12元。"
            ),
            computation=[
                _step("民间借贷利率上限", "4 × 一年期LPR 3.65%", "14.6%"),
                _step("2023年3月11日至2023年10月15日的利息", "100000 × 12% × 218 / 365", "7167.12"),
                _step("还款抵充本金", "20000 − 7167.12", "12832.88"),
                _step("尚欠本金", "100000 − 12832.88", "87167.12"),
            ],
            counter_arguments=[
                CounterArgument(
                    party=BORROWER,
                    argument="借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行",
                    fact_ids=["F15"],
                    response="已还款项已依照《中华人民共和国民法典》第五百六十一条先抵充利息、后抵充本金；"
                    "经济困难并非拒绝或者迟延履行还款义务的法定理由，分期履行须经原告同意，原告不同意，本院不予采纳。",
                )
            ],
            conclusion=Conclusion(
                disposition="部分支持",
                award="87167.12",
                order=PRINCIPAL_ORDER,
                decided_by=judge,
                text="对张伟请求返还借款本金100000元的诉讼请求，本院部分予以支持，确定尚欠本金为87167.12元。",
            ),
        ),
        Syllogism(
            id="S2",
            claim_id="F21",
            issue="利息的计算标准及起算时间",
            major_premise=["民法典:674", "民法典:676"],
            minor_premise=["F21", "F8", "F10"],
            reasoning=(
                "双方约定借款利率为月利率1%，即年利率12%，未超过合同成立时一年期贷款市场报价利率四倍，应予保护。"
                "李强应以尚欠本金87167.12元为基数，自2023年10月15日起按年利率12%支付利息至实际清偿之日止。"
            ),
            computation=[_step("民间借贷利率上限", "4 × 一年期LPR 3.65%", "14.6%")],
            conclusion=Conclusion(
                disposition="支持",
                text="对利息请求，本院予以支持，按年利率12%计算。",
                order=INTEREST_ORDER,
                decided_by=judge,
            ),
        ),
        Syllogism(
            id="S3",
            claim_id="F22",
            issue="王芳应否承担保证责任（保证期间是否届满）",
            major_premise=["民法典:688", "民法典:692", "民法典:700"],
            minor_premise=["F22", "F11", "F7", "F12", "F16"],
            reasoning=(
                "王芳在借条上以保证人身份签字，与出借人成立保证合同，保证方式为连带责任保证。"
                "张伟于2024年1月5日向王芳主张保证责任，在保证期间内，王芳应当在保证范围内承担保证责任，"
                "其承担保证责任后有权向债务人追偿。"
            ),
            computation=[_step("保证期间", "2023年9月10日起双方约定6个月", "2024年3月10日")],
            counter_arguments=[
                CounterArgument(
                    party=GUARANTOR,
                    argument="保证期间已过，不应承担保证责任",
                    fact_ids=["F16"],
                    response="张伟已在保证期间内向王芳主张权利，该抗辩不能成立，本院不予采纳。",
                )
            ],
            conclusion=Conclusion(
                disposition="支持",
                text="对要求王芳承担保证责任的诉讼请求，本院予以支持。",
                order=GUARANTEE_ORDER,
                decided_by=judge,
            ),
        ),
        Syllogism(
            id="S4",
            claim_id="F23",
            issue="诉讼费用的负担",
            major_premise=[],
            minor_premise=["F23"],
            reasoning="诉讼费用由败诉方负担，部分胜诉的按比例分担。",
            computation=[
                _step("案件受理费", "诉讼请求金额100000.00元，按《诉讼费用交纳办法》第十三条计算", "2300.00"),
                _step("简易程序减半收取", "2300.00 ÷ 2", "1150.00"),
                _step("按胜诉比例分担", "1150.00 × 87167.12 ÷ 100000.00", "1002.42"),
            ],
            conclusion=Conclusion(
                disposition="支持", text=COSTS_ORDER + "。", order=COSTS_ORDER, decided_by=judge
            ),
        ),
    ]


def info(signed: bool = False) -> CaseInfo:
    """Court particulars; the judgment date is set only once the judge signs."""
    return CaseInfo(
        court="浙江省杭州市西湖区人民法院",
        case_number="（2024）浙0106民初1234号",
        procedure="简易程序",
        filing_date="2024-03-01",
        hearing_date="2024-04-10",
        judges=["王某某"],
        clerk="陈某",
        judgment_date="2024-05-08" if signed else "",
        hearing_attendance="原告张伟、被告李强、被告王芳到庭参加诉讼。",
    )


def lending_state(signed: bool = False) -> CaseState:
    """The whole case as it stands after the reasoning checkpoint (or after signing when `signed`)."""
    docs = documents()
    judge = Actor(role="judge", name="王某某")
    decisions = [
        ApproveDecision(checkpoint="approve_facts", actor=judge, at="2024-04-20T08:00:00+00:00"),
        EditDecision(
            checkpoint="approve_statutes",
            actor=judge,
            replacement={"remove": ["民法典:680"]},
            comment="本案利率未超上限，不引第六百八十条",
            diff="- 民法典:680",
            at="2024-04-20T08:10:00+00:00",
        ),
        ApproveDecision(checkpoint="approve_reasoning", actor=judge, at="2024-04-20T08:30:00+00:00"),
    ]
    state = CaseState(
        case_id="lending-001",
        info=info(signed),
        documents=docs,
        facts=facts(docs),
        statutes=statutes(),
        syllogisms=syllogisms(),
        decisions=decisions,
    )
    if signed:
        state.signed_by = "judge:王某某"
        state.decisions.append(
            ApproveDecision(checkpoint="approve_draft", actor=judge, at="2024-05-08T09:00:00+00:00")
        )
    return state


def evaluation_state() -> CaseState:
    """The same case run under the evaluation policy: every checkpoint approved automatically."""
    state = lending_state()
    system = Actor(role="system", name="evaluation-policy")
    state.policy = "evaluation"
    state.decisions = [
        ApproveDecision(checkpoint=c, actor=system, automatic=True, at="2024-04-20T08:00:00+00:00")
        for c in ("approve_facts", "approve_statutes", "approve_reasoning")
    ]
    return state
