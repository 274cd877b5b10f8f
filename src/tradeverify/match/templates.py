"""Template clones: the upstream contract printed from the applicant's own sales-contract template.

Different sellers issue the two contracts of a resale, so their wording (each issuer's house
style) and layout differ; a fabricated purchase contract shares both with the sales contract.
Standard trade-association forms share the wording but not the layout, which is why both
similarities are features and neither is a hard rule. Clause containment counts the contract terms
copied word for word: it survives an added clause or a bilingual rendering that moves the layout.
"""

from __future__ import annotations

from tradeverify.domain import Check
from tradeverify.extract.profile import PERMUTATIONS, clause_containment, similarity
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs

# The check's "fail" (honest pairs measured below 0.45 wording / 0.3 layout); the model uses the values.
CLONE_TEXT, CLONE_LAYOUT = 0.5, 0.45
# Or the clauses copied: standard forms share every clause too, but are printed in their own
# layouts (measured below 0.12); honest pairs in one layout share at most about half their clauses.
CLONE_CLAUSES, CLONE_CLAUSE_LAYOUT = 0.8, 0.2


def template_evidence(docs: SubmissionDocs) -> Evidence:
    """Compare the wording and layout of the purchase and sales contracts."""
    buy, sell = docs.docs.get("purchase_contract"), docs.docs.get("sales_contract")
    ev = Evidence(features={"template_text_similarity": UNKNOWN, "template_layout_similarity": UNKNOWN,
                            "template_clause_containment": UNKNOWN, "template_clone_check": UNKNOWN})
    a, b = (buy.profile if buy else None), (sell.profile if sell else None)
    if a is None or b is None or len(a.text) != PERMUTATIONS or len(b.text) != PERMUTATIONS:
        ev.checks.append(Check(name="contract_template", status="unknown",
                               detail="both contracts are needed to compare them"))
        return ev
    text, layout = similarity(a.text, b.text), similarity(a.layout, b.layout)
    clauses = clause_containment(a.clauses, b.clauses)
    ev.features.update(template_text_similarity=text, template_layout_similarity=layout,
                       template_clause_containment=clauses)
    ev.facts["template"] = {"text": text, "layout": layout, "clauses": clauses}
    cloned = (text >= CLONE_TEXT and layout >= CLONE_LAYOUT) or (
        clauses == clauses and clauses >= CLONE_CLAUSES and layout >= CLONE_CLAUSE_LAYOUT)
    # The verdict is a feature too: few clones in training are edited or printed bilingual, too few
    # for the trees to learn "every clause copied, in the same form" from the values alone.
    ev.features["template_clone_check"] = float(cloned)
    copied = f"; {clauses:.0%} of the shorter one's clauses are in the other" if clauses == clauses else ""
    ev.checks.append(Check.verdict(
        "contract_template", cloned,
        f"purchase and sales contracts share {text:.0%} of their wording and {layout:.0%} of their "
        f"layout{copied}"))
    return ev
