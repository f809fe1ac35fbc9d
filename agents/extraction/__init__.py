"""Helpers of the rules-based fact extractor (`judgeflow.agents.extract_facts`), one module per concern.

- `text`: spans, sentences, clauses, complaint sections, hearing-record turns, tool matches per document
- `parties`: parties and their particulars and capacities
- `loan`: principal, loan dates, term, rates, repayments, guarantee, demands
- `pleadings`: claims (诉讼请求) and defences (答辩意见)
- `evidence`: exhibits and how they fared in 质证
"""
