"""Planning: what each agency must reach, in each indicator's own units, and the cheapest route to a goal.

- :mod:`.actions`: every indicator short of its max, in its own units (value now, steps, target);
- :mod:`.effort`: what a level costs (classes named by the rule kinds, an effort file over them);
- :mod:`.goal` and :mod:`.route`: the least-effort route to a total or a rank (exact);
- :mod:`.scenarios`: now, every target met, every commitment kept, what-if (rescored by the caller's scorer);
- :mod:`.commitments`: the agencies' commitment workbooks and how the commitments stand;
- :mod:`.build`: the plan as data; :mod:`.tables`, :mod:`.outputs`, :mod:`.html`: what people read.

The plan reads the scores file and the methodology; it never imports another stage.
"""

from .build import Plan, PlanRequest, build_plan

__all__ = ["Plan", "PlanRequest", "build_plan"]
