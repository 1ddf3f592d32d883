"""Pages of directive implementation: dashboard, matrix, overdue list, figures, records, tasks.

Every page starts from one access helper (a unit, record or task in the user's scope, else
404) and reads through ``queries`` (one grouped query per roll-up, whatever the tree size).
"""

from giamsat.implementation.views.assignments import (
    assignment_candidates,
    assignment_detail,
    assignment_list,
    assignment_new,
)
from giamsat.implementation.views.records import (
    fulfilment,
    record_detail,
    record_remind,
    record_responsible,
)
from giamsat.implementation.views.tasks import (
    key_task_detail,
    key_task_edit,
    key_task_new,
    key_tasks,
)
from giamsat.implementation.views.units import dashboard, figure, home, matrix, overdue

__all__ = [
    "assignment_candidates",
    "assignment_detail",
    "assignment_list",
    "assignment_new",
    "dashboard",
    "figure",
    "fulfilment",
    "home",
    "key_task_detail",
    "key_task_edit",
    "key_task_new",
    "key_tasks",
    "matrix",
    "overdue",
    "record_detail",
    "record_remind",
    "record_responsible",
]
