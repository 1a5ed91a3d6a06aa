#!/usr/bin/env bash
# The action's build step (action.yml), runnable outside GitHub too: builds
# the site into the folder the Pages upload takes, then, unless told not to,
# runs `playbook check` on what was built.
#
# Reads INPUT_PATH (the site folder, holding book.toml), INPUT_OUTPUT_DIR,
# INPUT_DRAFTS and INPUT_CHECK as action.yml passes its inputs, PLAYBOOK_BIN
# (the binary the install step put in place) and GITHUB_OUTPUT. Inside
# GitHub Actions playbook prints each problem as an annotation on its line.
set -euo pipefail

# An annotation, with `%`, CR and LF escaped as GitHub's runner expects.
fail() {
  local text="$1"
  text="${text//'%'/%25}"
  text="${text//$'\r'/%0D}"
  text="${text//$'\n'/%0A}"
  echo "::error title=playbook build::$text"
  exit 1
}

site="${INPUT_PATH:-.}"
out="${INPUT_OUTPUT_DIR:-_site}"
bin="${PLAYBOOK_BIN:-playbook}"
drafts="${INPUT_DRAFTS:-false}"
check="${INPUT_CHECK:-true}"
for input in "drafts=$drafts" "check=$check"; do
  case "${input#*=}" in
    true | false) ;;
    *) fail "the input \`${input%%=*}\` is \"${input#*=}\"; it takes true or false" ;;
  esac
done

[ -f "$site/book.toml" ] ||
  fail "no book.toml in $site (from $(pwd)): set the action's \`path\` input to the folder that holds book.toml and content/"

args=()
if [ "$drafts" = true ]; then
  args+=(--drafts)
fi

# `--out` whatever book.toml says, so the upload step knows where to look.
"$bin" build "$site" --out "$out" ${args[@]+"${args[@]}"}
if [ "$check" = true ]; then
  "$bin" check "$site" --output "$out" ${args[@]+"${args[@]}"}
fi
echo "dir=$out" >>"${GITHUB_OUTPUT:-/dev/null}"
