#!/usr/bin/env bash
# Mutation testing of the core modules. mutmut reads [tool.mutmut] in pyproject.toml;
# mutation/README.md explains the choices and holds the last results. The modules run in groups, one
# mutmut run each (mutmut keeps its results in ./mutants/, which git ignores), then
# mutation/score.py prints the score per module.
#
#     python -m pip install mutmut==3.8.1
#     bash mutation/run.sh                 # every group: hours on two cores
#     bash mutation/run.sh courses rules   # the named groups only
set -euo pipefail
cd "$(dirname "$0")/.."
# 25 examples per property test, and no shrinking of a failure found (tests/conftest.py)
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-mutation}"
children="${MUTMUT_CHILDREN:-2}"
declare -A groups=(
    [format]="iptcore._checks.* iptcore._fields.* iptcore._dates.* iptcore.case.* iptcore.caseio.*"
    [measures]="iptcore.measures.*"
    [rules]="iptcore.rules.* iptcore.findings.* iptcore.screening.*"
    [courses]="iptcore.protocols.* iptcore.plan.* iptcore.course.* iptcore.courseio.*"
    [formulation]="iptcore.goals.* iptcore.formulation.* iptcore.techniques.*"
    [privacy]="iptcore.deidentify.* iptcore.inventory.* iptcore.trajectory.* iptcore.draw.case.*"
    [fidelity]="iptcore.fidelity.*"
    [simulation]="iptcore.simulate.*"
)
order=(format measures rules courses formulation privacy fidelity simulation)
chosen=("$@")
[ ${#chosen[@]} -eq 0 ] && chosen=("${order[@]}")
for group in "${chosen[@]}"; do
    [ -n "${groups[$group]:-}" ] || { echo "no group $group (groups: ${order[*]})" >&2; exit 2; }
    # shellcheck disable=SC2086  # each group is several glob patterns, passed as separate words
    nice python -m mutmut run --max-children "$children" ${groups[$group]} > /dev/null
done
python mutation/score.py
