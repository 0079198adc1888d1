"""plangen: customer managers' work plans as YAML, checked and rendered.

The library API, which the ``plangen`` command is a thin layer over::

    from plangen import find_root, load_plans, open_project

    project = open_project(find_root(Path.cwd()))
    result = load_plans(project)    # .plans (valid ones), .errors, .warnings
    for problem in result.problems:
        print(problem)              # plans/x.yml:14:5: goals[2].target: expected a number, got "多"
"""

from .errors import InvalidFile, PlangenError, Problem
from .loading import LoadedPlan, LoadResult, load_plans
from .model import Plan
from .settings import Project, Settings, find_root, open_project

__all__ = [
    "InvalidFile",
    "LoadResult",
    "LoadedPlan",
    "Plan",
    "PlangenError",
    "Problem",
    "Project",
    "Settings",
    "find_root",
    "load_plans",
    "open_project",
]
