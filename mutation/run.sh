#!/usr/bin/env bash
# Mutation testing of the core modules, group by group. mutation/README.md explains the choices and
# holds the last results.
#
#     python -m pip install mutmut==3.8.1
#     bash mutation/run.sh                 # every group: hours on two cores
#     bash mutation/run.sh courses rules   # the named groups only
#
# Each group runs in its own copy of the project, mutation/runs/<group>/ (git ignores it), whose
# [tool.mutmut] only_mutate names the group's modules alone: mutmut then makes the group's mutants
# only and records which tests call them, not the whole core's (16,628 mutants), with the same
# tests and settings. Results stay there between runs: a mutant whose function is unchanged keeps
# its result; `cd mutation/runs/<group> && python -m mutmut run <name>` runs one again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# 25 examples per property test, and no shrinking of a failure found (tests/conftest.py)
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-mutation}"
children="${MUTMUT_CHILDREN:-2}"
declare -A groups=(
    [format]="_checks _fields _dates case caseio"
    [measures]="measures"
    [rules]="rules findings screening"
    [courses]="protocols plan course courseio"
    [formulation]="goals formulation techniques"
    [privacy]="deidentify inventory trajectory draw/case"
    [fidelity]="fidelity"
    [simulation]="simulate/_model simulate/case simulate/cohort simulate/items simulate/recurrence simulate/trial simulate/planning simulate/calibration simulate/_mmrm"
)
order=(format measures rules courses formulation privacy fidelity simulation)
chosen=("$@")
[ ${#chosen[@]} -eq 0 ] && chosen=("${order[@]}")
for group in "${chosen[@]}"; do
    [ -n "${groups[$group]:-}" ] || { echo "no group $group (groups: ${order[*]})" >&2; exit 2; }
done
for group in "${chosen[@]}"; do
    run="$root/mutation/runs/$group"
    mkdir -p "$run"
    rm -rf "$run/src" "$run/tests"
    cp -r "$root/src" "$root/tests" "$root/pyproject.toml" "$run/"
    # shellcheck disable=SC2086  # the group's modules, as separate words
    python "$root/mutation/only.py" "$run/pyproject.toml" ${groups[$group]}
    echo "== $group: ${groups[$group]}"
    # mutmut's progress goes to the group's log; a failing clean run (the tests failing with no
    # mutant on) leaves every mutant unrun, so it stops the script with the log's end.
    (cd "$run" && nice python -m mutmut run --max-children "$children" > mutmut.log 2>&1 || true)
    if grep -q "Failed to run clean test" "$run/mutmut.log"; then
        tr '\r' '\n' < "$run/mutmut.log" | tail -n 40 >&2
        echo "== $group: the tests fail with no mutant on (above; all of it in $run/mutmut.log)" >&2
        exit 1
    fi
    (cd "$run" && python "$root/mutation/score.py")
done
