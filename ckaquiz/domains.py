"""The CKA exam's domains: their tags, names and weights, defined once.

Every CKA card carries exactly one domain tag. The weights are the curriculum's shares of the
exam, in percent; stats (readiness), the mock exam (drawing a paper), the session (new-card
order) and the deck index all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExamDomain:
    """One domain of the CKA curriculum, its tag and its share of the exam."""

    tag: str
    name: str
    weight: int


CKA_DOMAINS: tuple[ExamDomain, ...] = (
    ExamDomain("cka/cluster-architecture", "Cluster Architecture, Installation & Configuration", 25),
    ExamDomain("cka/workloads-scheduling", "Workloads & Scheduling", 15),
    ExamDomain("cka/services-networking", "Services & Networking", 20),
    ExamDomain("cka/storage", "Storage", 10),
    ExamDomain("cka/troubleshooting", "Troubleshooting", 30),
)
"""The domains in the curriculum's order; the weights add up to 100."""

DOMAIN_NAMES = {domain.tag: domain.name for domain in CKA_DOMAINS}
DOMAIN_WEIGHTS = {domain.tag: domain.weight for domain in CKA_DOMAINS}
