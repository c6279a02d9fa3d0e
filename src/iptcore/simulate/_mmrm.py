"""The mixed model for repeated measures with an unstructured covariance, fitted by REML.

The model (Mallinckrodt et al. 2008 [MALLINCKRODT2008]): a patient's changes from baseline at the
post-baseline visits ``1..T`` are multivariate normal with mean, at visit ``t``,
``mu_t + gamma_t * baseline + delta_t * treated`` and an unstructured ``T x T`` covariance (every
variance and covariance its own parameter). Each patient contributes the visits they have scores
for, so the fit is valid when scores are missing at random. The covariance is estimated by
restricted maximum likelihood (REML) with the EM algorithm for incomplete multivariate normal data
(Laird, Lange & Stram 1987 [LAIRD1987]), the fixed effects by generalised least squares given it,
and the effect ``delta_T`` (treated minus control at the last visit) gets a t interval with the
degrees of freedom of the last visit's own regression (patients scored at the last visit minus its
three coefficients), which is exact when no score is missing.

EM starts from the observed second moments of each visit with no correlation and stops when an
iteration raises the REML log-likelihood by no more than 1e-6 (at most 5,000 iterations). The fit
is refused when an iteration lowers the likelihood, which EM never does in exact arithmetic: it
happens when the covariance runs to a singular matrix and rounding error takes over, that is when
the REML likelihood has no maximum, as in a small trial with few scores at some visit. All
arrays are float64 and nothing is random, so a trial gives the same numbers every time.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from iptcore.errors import IptError

__all__ = ["fit_mmrm"]

#: EM stops when an iteration raises the REML log-likelihood by no more than this.
_GAIN = 1e-6
_MAX_ITERATIONS = 5000
_SINGULAR = (
    "mmrm: the model cannot be fitted (the covariance of the visits is singular: the REML "
    "likelihood has no maximum, as when a visit has too few scores)"
)


def _times(matrices: np.ndarray[Any, Any], vectors: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each patient's matrix times their vector: ``(n, T, T)`` by ``(n, T)`` gives ``(n, T)``."""
    product: np.ndarray[Any, Any] = matrices @ vectors[:, :, None]
    return product[:, :, 0]


def fit_mmrm(
    change: np.ndarray[Any, Any], baseline: np.ndarray[Any, Any], treated: np.ndarray[Any, Any]
) -> tuple[float, float, int]:
    """The last-visit effect, its standard error and its degrees of freedom.

    Args:
        change: ``(patients, T)`` changes from baseline, NaN where there is no score.
        baseline: ``(patients,)`` baseline scores.
        treated: ``(patients,)`` 1.0 for the treated arm, 0.0 for control.

    Raises:
        IptError: when EM does not converge or the likelihood has no maximum (the trial then
            counts as a failure in a power study).

    >>> rng = np.random.default_rng(1)
    >>> y = rng.normal(size=(40, 3)); y[:5, 2] = np.nan
    >>> effect, se, df = fit_mmrm(y, rng.normal(size=40), np.arange(40) % 2.0)
    >>> df, bool(se > 0)
    (32, True)
    """
    seen = ~np.isnan(change)
    keep = seen.any(axis=1)
    y, observed = np.where(seen, change, 0.0)[keep], seen[keep]
    n, visits = y.shape
    # The design is the same three covariates (1, baseline, treated) at every visit, so the
    # coefficients are (mu_t, gamma_t, delta_t) for t = 1..T, in that order, and a patient's
    # design is kron(I_T, z_i) with z_i their covariates.
    z = np.stack([np.ones(n), baseline[keep], treated[keep]], axis=1)
    zz = (z[:, :, None] * z[:, None, :]).reshape(n, 9)  # z_i z_i', flattened
    eye = np.eye(visits)
    missing = ~observed
    both = observed[:, :, None] & observed[:, None, :]

    def precision(sigma: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], float]:
        # Sigma_oo^-1 for each patient, padded with zeros where a score is missing: invert
        # Sigma with the missing rows and columns replaced by those of the identity (whose
        # log-determinant is then sum_i log |Sigma_oo|).
        masked = np.where(both, sigma, 0.0) + missing[:, :, None] * eye
        _, logdet = np.linalg.slogdet(masked)
        return np.where(both, np.linalg.inv(masked), 0.0), float(logdet.sum())

    def gls(p: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], float]:
        size = 3 * visits
        # sum_i kron(P_i, z_i z_i') and sum_i kron(P_i y_i, z_i), as matrix products.
        information = (p.reshape(n, visits * visits).T @ zz).reshape(visits, visits, 3, 3)
        information = information.transpose(0, 2, 1, 3).reshape(size, size)
        cov_beta = np.linalg.inv(information)
        score = (_times(p, y).T @ z).reshape(size)
        logdet = float(np.linalg.slogdet(information)[1])
        beta = (cov_beta @ score).reshape(visits, 3)
        return beta, cov_beta.reshape(visits, 3, visits, 3), logdet

    # Start from the observed variances with no correlation.
    counts = observed.sum(axis=0)
    sigma = np.diag(np.maximum((y**2).sum(axis=0) / np.maximum(counts, 1), 1e-6))
    before = -math.inf
    for _ in range(_MAX_ITERATIONS):
        p, logdet_sigma = precision(sigma)
        beta, cov_beta, logdet_information = gls(p)
        # What stands at a missing visit is never read: P_i's row and column there are 0.
        residual = y - z @ beta.T
        # The REML log-likelihood (constants dropped), which EM never decreases.
        quadratic = float((residual * _times(p, residual)).sum())
        likelihood = -0.5 * (logdet_sigma + quadratic + logdet_information)
        gain = likelihood - before
        # EM never lowers the likelihood; an iteration that does is rounding error taking over,
        # as the covariance runs to a singular matrix: the REML likelihood has no maximum.
        if gain < -_GAIN:
            raise IptError(_SINGULAR)
        if gain <= _GAIN:
            break
        before = likelihood
        sp = sigma @ p  # (n, T, T): Sigma P_i
        expected = _times(sp, residual)  # E[e_i | y_obs]
        conditional = sigma - sp @ sigma  # Cov[e_i | y_obs, beta]
        # REML: the uncertainty of beta, (Sigma P_i X_i) Cov(beta) (Sigma P_i X_i)'.
        w = (zz @ cov_beta.transpose(0, 2, 1, 3).reshape(visits * visits, 9).T).reshape(
            n, visits, visits
        )
        beta_part = sp @ w @ sp.transpose(0, 2, 1)
        new = (expected.T @ expected + (conditional + beta_part).sum(axis=0)) / n
        new = (new + new.T) / 2
        sigma = new
    else:
        raise IptError(f"mmrm: REML did not converge in {_MAX_ITERATIONS} EM iterations")
    beta, cov_beta, _ = gls(p)
    df = int(observed[:, -1].sum()) - 3
    return float(beta[-1, 2]), math.sqrt(float(cov_beta[-1, 2, -1, 2])), df
