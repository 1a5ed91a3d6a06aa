#!/usr/bin/env bash
# Installs the pinned workflow linters of requirements.txt (beside this
# file) into a Python venv, unless it already holds exactly them:
#
#   tests/lint/install.sh DIR      # DIR/bin/actionlint, check-jsonschema, shellcheck
#
# .ci/run calls it with target/tmp/lint-venv, where tests/suite/action.rs
# looks (and calls it itself when they are missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: $0 DIR}"

if cmp -s "$here/requirements.txt" "$dir/requirements.txt" &&
  [ -x "$dir/bin/actionlint" ] && [ -x "$dir/bin/check-jsonschema" ] && [ -x "$dir/bin/shellcheck" ]; then
  exit 0
fi
if ! python3 -m venv --clear "$dir"; then
  echo "$dir: python3 -m venv failed: install Python 3 with venv (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
"$dir/bin/pip" install --disable-pip-version-check --quiet --requirement "$here/requirements.txt"
cp "$here/requirements.txt" "$dir/requirements.txt"
