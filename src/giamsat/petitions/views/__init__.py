"""Staff pages: the petitions dashboard and list, intake, the record page with its actions,
identity grants and reveals, hot-spot alerts, export.

Every query goes through ``giamsat.petitions.access`` (scope minus conflicts of interest):
anything else is 404. Identities never appear on these pages except on the reveal page, which
is reached only by POST under an approved, unexpired grant and is logged.
"""

from giamsat.petitions.views.alerts import alert_close, alert_detail, alert_flag, alerts
from giamsat.petitions.views.identity import (
    decide_grant,
    grants,
    request_grant,
    reveal,
    reveal_log,
    revoke_grant,
)
from giamsat.petitions.views.lists import deadline_q, export, filtered, intake, petition_list
from giamsat.petitions.views.record import (
    accept,
    answer,
    assign,
    classify,
    conclude,
    detail,
    extend,
    link,
    mark_hot_spot,
    receipt,
    split,
    subject_search,
    suspend,
    transfer,
    withdraw,
)

__all__ = [
    "accept",
    "alert_close",
    "alert_detail",
    "alert_flag",
    "alerts",
    "answer",
    "assign",
    "classify",
    "conclude",
    "deadline_q",
    "decide_grant",
    "detail",
    "export",
    "extend",
    "filtered",
    "grants",
    "intake",
    "link",
    "mark_hot_spot",
    "petition_list",
    "receipt",
    "request_grant",
    "reveal",
    "reveal_log",
    "revoke_grant",
    "split",
    "subject_search",
    "suspend",
    "transfer",
    "withdraw",
]
