"""Pages of the annual review (split by area): campaigns, subjects and their steps, review
sessions, figures and rule sets. Every page starts from an access helper of ``common``."""

from giamsat.evaluation.views.campaigns import (
    campaign_detail,
    campaign_new,
    campaign_status,
    campaign_unit,
    campaign_unit_batch,
    home,
    outstanding_add,
)
from giamsat.evaluation.views.figures import figure, figures, rule_sets
from giamsat.evaluation.views.sessions import point_add, session_detail, session_new
from giamsat.evaluation.views.subjects import (
    commitment,
    decision,
    evaluation_detail,
    person_section,
    proposal,
    self_assessment,
)

__all__ = [
    "campaign_detail",
    "campaign_new",
    "campaign_status",
    "campaign_unit",
    "campaign_unit_batch",
    "commitment",
    "decision",
    "evaluation_detail",
    "figure",
    "figures",
    "home",
    "outstanding_add",
    "person_section",
    "point_add",
    "proposal",
    "rule_sets",
    "self_assessment",
    "session_detail",
    "session_new",
]
