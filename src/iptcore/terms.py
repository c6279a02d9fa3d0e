"""IPT's shared vocabulary: the problem areas, the stages of a role dispute and the phases of a course.

These are the words of the case format and of the manual, as :class:`enum.StrEnum`
so that ``ProblemArea("grief") is ProblemArea.GRIEF`` and ``ProblemArea.GRIEF == "grief"``.
They live on the ground floor because the case model, the rules, the technique catalogue and the
protocols all speak them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DisputeStage", "Phase", "ProblemArea"]


class ProblemArea(StrEnum):
    """The four IPT problem areas [GUIDE; ISIPT].

    >>> ProblemArea("grief") is ProblemArea.GRIEF
    True
    >>> ProblemArea.ROLE_DISPUTE == "role_dispute"
    True
    """

    GRIEF = "grief"
    ROLE_DISPUTE = "role_dispute"
    ROLE_TRANSITION = "role_transition"
    INTERPERSONAL_DEFICITS = "interpersonal_deficits"


class DisputeStage(StrEnum):
    """The stages of a role dispute [GUIDE].

    Renegotiation: both are still trying (improve communication); impasse: talking has stopped (reopen
    negotiation); dissolution: beyond repair (mourn the relationship and move on).
    """

    RENEGOTIATION = "renegotiation"
    IMPASSE = "impasse"
    DISSOLUTION = "dissolution"


class Phase(StrEnum):
    """The phases of an IPT course [ISIPT], plus the engagement session 0 and maintenance.

    ``ENGAGEMENT`` is the session 0 of IPT-B (Swartz et al. 2014) and the pre-group individual session
    of WHO group IPT [WHO]; ``MAINTENANCE`` is every session of IPT-M (Frank et al. 1990, 1991).
    """

    ENGAGEMENT = "engagement"
    INITIAL = "initial"
    MIDDLE = "middle"
    TERMINATION = "termination"
    MAINTENANCE = "maintenance"
