#!/usr/bin/env bash
# Mutation testing of the rules, measures, protocols and case-format modules (issue 8, part 3).
# mutmut reads [tool.mutmut] in pyproject.toml; mutation/README.md explains the choices and holds
# the last results. The modules run in four groups, one mutmut run each (mutmut keeps its results
# in ./mutants/, which git ignores), then mutation/score.py prints the score per module.
#
#     python -m pip install mutmut==3.8.1 && bash mutation/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-dev}"   # 25 examples per property test
children="${MUTMUT_CHILDREN:-2}"
groups=(
    "iptcore.case.* iptcore.caseio.* iptcore._fields.* iptcore._checks.*"
    "iptcore.measures.* iptcore.measures.*"
    "iptcore.rules.* iptcore.findings.*"
    "iptcore.protocols.* iptcore.protocols.*"
)
for group in "${groups[@]}"; do
    # shellcheck disable=SC2086  # each group is several glob patterns, passed as separate words
    nice python -m mutmut run --max-children "$children" $group > /dev/null
done
python mutation/score.py
