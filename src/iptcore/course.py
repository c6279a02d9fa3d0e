"""Courses: the plan (re-exported from ``plan.py``) and the course as it happens.

The front door imports ``Course, CoursePlan, PlannedSession, plan_course`` from here.
"""

from __future__ import annotations

from iptcore.plan import CoursePlan, FocusArea, PlannedSession, plan_course

__all__ = ["CoursePlan", "FocusArea", "PlannedSession", "plan_course"]
