"""Fact-checking shared by the draft checker (`agents.check_draft`) and `judgeflow check` on any judgment.

- `collector`: findings with offsets into the checked text
- `citations`: cited articles against the statute database (existence, quoted text, repealed laws)
- `arithmetic`: stated sums and written-out calculations
- `interest`: interest figures re-computed, ordered rates against the legal ceiling
- `figures`: the court's amounts against the amounts of the record
- `timeline`: impossible dates, ranges, the order of events, custody set off against the sentence
- `persons`: names and roles in every mention, particulars against ID numbers
- `civil_consistency`: civil 本院认为 against 判决主文 (amounts, rejected claims), a flow draft's awards
- `shared`: the text checks the draft checker (`agents.check_draft`) runs with the case's ledger
- `judgment`: all checks on a judgment text, with a ledger read from the text itself
"""
