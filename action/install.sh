#!/usr/bin/env bash
# Installs playbook for the action (action.yml), and runs outside GitHub too:
#
#   action/install.sh release   the release archive for this runner's OS and
#                               architecture, checked against its published
#                               SHA-256; says installed=false when the release
#                               has none, so the action builds instead
#   action/install.sh source    `cargo install` of the action's own source
#                               into a folder the action caches between runs
#
# It reads what GitHub sets on a runner: RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# GITHUB_OUTPUT, GITHUB_PATH and GITHUB_SERVER_URL; and what action.yml
# passes: INPUT_VERSION, PLAYBOOK_REPOSITORY (owner/name of the action),
# PLAYBOOK_SOURCE (the action's folder) and, for `source`, PLAYBOOK_CARGO_ROOT.
# PLAYBOOK_RELEASES_URL stands in for <server>/<repository>/releases and
# PLAYBOOK_CARGO for the cargo to run (the test suite points both at local stand-ins).
set -euo pipefail

mode="${1:-}"
case "$mode" in
  release | source) ;;
  *)
    echo "usage: $0 release|source" >&2
    exit 2
    ;;
esac

# A message that GitHub shows as an annotation, and that reads as one in a
# terminal. `%`, CR and LF are escaped as GitHub's runner expects.
annotate() {
  local level="$1" text="$2"
  text="${text//'%'/%25}"
  text="${text//$'\r'/%0D}"
  text="${text//$'\n'/%0A}"
  echo "::$level title=playbook install::$text"
}

fail() {
  annotate error "$1"
  exit 1
}

output() {
  echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"
}

: "${RUNNER_OS:?RUNNER_OS is not set: run this from action.yml, or set it as GitHub does (Linux, macOS, Windows)}"
: "${RUNNER_ARCH:?RUNNER_ARCH is not set: run this from action.yml, or set it as GitHub does (X64, ARM64)}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
source_dir="${PLAYBOOK_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}"

exe=""
if [ "$RUNNER_OS" = Windows ]; then
  exe=".exe"
fi

# The release archive's target for each runner. These names are the
# contract with .github/workflows/release.yml, which builds exactly these.
target_for() {
  case "$1/$2" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

# sha256sum where there is one (Linux, Git Bash on Windows), else shasum
# (macOS); both print `digest  file`.
if command -v sha256sum >/dev/null 2>&1; then
  sha256=(sha256sum)
else
  sha256=(shasum -a 256)
fi

# A digest of the sources a build compiles, so the cached build is reused
# exactly while they are the same, whatever ref the action was used at.
source_digest() {
  (
    cd "$source_dir"
    find Cargo.toml Cargo.lock build.rs src themes -type f -print0 2>/dev/null |
      LC_ALL=C sort -z | xargs -0 "${sha256[@]}" | "${sha256[@]}" | cut -c1-16
  )
}

# A path as the runner reads it from GITHUB_PATH: Windows form on Windows.
native_path() {
  if [ "$RUNNER_OS" = Windows ] && command -v cygpath >/dev/null 2>&1; then
    cygpath -w "$1"
  else
    echo "$1"
  fi
}

# Puts the installed binary on PATH for the steps after this one, and says
# where it is and what it is.
installed() {
  local bin="$1" how="$2" version
  if ! version="$("$bin" --version 2>&1)"; then
    fail "the installed $bin does not run: $version"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    native_path "$(dirname "$bin")" >>"$GITHUB_PATH"
  fi
  output installed true
  output bin "$bin"
  output version "$version"
  output source "$how"
  echo "$version, from $how: $bin"
}

# Tells the action to build from source instead, and where the cache goes.
build_instead() {
  annotate notice "$1; building playbook from the action's source with cargo install instead (cached for the next run)"
  output installed false
  output cargo-root "$temp/playbook-cargo"
  output cache-key "playbook-$RUNNER_OS-$RUNNER_ARCH-$(source_digest)"
}

# The action's owner/name: from PLAYBOOK_REPOSITORY (github.action_repository,
# which a composite action's steps are not always given: actions/runner#2525),
# else from where the runner unpacked the action, .../_actions/OWNER/NAME/REF.
action_repository() {
  if [ -n "${PLAYBOOK_REPOSITORY:-}" ]; then
    echo "$PLAYBOOK_REPOSITORY"
    return
  fi
  local path="${source_dir//\\//}"
  if [[ "$path" =~ /_actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
    echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  fi
}

# Sets `tag`, the release to install: INPUT_VERSION, or by default the
# version in the action's own Cargo.toml, so `uses: OWNER/playbook@v1` runs
# the binary released from the very commit it checked out.
release_tag() {
  local version="${INPUT_VERSION:-}"
  if [ -z "$version" ]; then
    version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$source_dir/Cargo.toml" | head -n 1)"
    [ -n "$version" ] || fail "no version in $source_dir/Cargo.toml: set the action's \`version\` input (e.g. 1.2.0, latest or source)"
  fi
  if [ "$version" = latest ]; then
    tag=latest
    return
  fi
  if ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    fail "version \"$version\" is not a release: use a version such as 1.2.0, or latest, or source"
  fi
  tag="v${version#v}"
}

# What curl said, on one line.
curl_said() {
  tr '\n' ' ' <"$1" | sed 's/ *$//'
}

extract() {
  local archive="$1" into="$2"
  case "$archive" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$archive" -d "$into"
      elif command -v 7z >/dev/null 2>&1; then
        7z x -y -o"$into" "$archive" >/dev/null
      else
        pwsh -NoProfile -Command "Expand-Archive -LiteralPath '$archive' -DestinationPath '$into'"
      fi
      ;;
    *) tar -xzf "$archive" -C "$into" ;;
  esac
}

install_release() {
  if [ "${INPUT_VERSION:-}" = source ]; then
    build_instead "version: source asks for a build"
    return
  fi
  local target
  target="$(target_for "$RUNNER_OS" "$RUNNER_ARCH")"
  output target "$target"
  if [ -z "$target" ]; then
    build_instead "playbook's releases have no binary for $RUNNER_OS on $RUNNER_ARCH"
    return
  fi
  local tag asset base url
  release_tag
  asset="playbook-$target.tar.gz"
  if [ "$RUNNER_OS" = Windows ]; then
    asset="playbook-$target.zip"
  fi
  output asset "$asset"
  local repository
  repository="$(action_repository)"
  if [ -n "${PLAYBOOK_RELEASES_URL:-}" ]; then
    base="${PLAYBOOK_RELEASES_URL%/}"
  elif [ -n "$repository" ]; then
    base="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases"
  else
    build_instead "the action's repository is not known (it is neither in PLAYBOOK_REPOSITORY nor in the path $source_dir)"
    return
  fi
  if [ "$tag" = latest ]; then
    url="$base/latest/download/$asset"
  else
    url="$base/download/$tag/$asset"
  fi

  local work="$temp/playbook-download"
  rm -rf "$work"
  mkdir -p "$work/unpacked"
  local status=0
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
    --output "$work/$asset" "$url" 2>"$work/curl.log" || status=$?
  if [ "$status" -ne 0 ]; then
    build_instead "no release archive at $url ($(curl_said "$work/curl.log"))"
    return
  fi
  # An archive without its checksum, or with another one, is never run.
  status=0
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
    --output "$work/$asset.sha256" "$url.sha256" 2>"$work/curl.log" || status=$?
  if [ "$status" -ne 0 ]; then
    fail "$url has no checksum at $url.sha256 ($(curl_said "$work/curl.log")); refusing to run an unverified binary"
  fi
  local expected actual
  expected="$(cut -d ' ' -f 1 <"$work/$asset.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')"
  actual="$("${sha256[@]}" "$work/$asset" | cut -d ' ' -f 1)"
  if [ "$expected" != "$actual" ]; then
    fail "$asset from $url has SHA-256 $actual, but the release says $expected; refusing to run it (download it again, or report it if it persists)"
  fi
  echo "$asset: SHA-256 $actual, as the release says"
  extract "$work/$asset" "$work/unpacked"
  local found="$work/unpacked/playbook-$target/playbook$exe"
  [ -f "$found" ] || fail "$asset holds no playbook-$target/playbook$exe"
  local bin_dir="$temp/playbook/bin"
  mkdir -p "$bin_dir"
  cp "$found" "$bin_dir/playbook$exe"
  chmod +x "$bin_dir/playbook$exe"
  installed "$bin_dir/playbook$exe" "release $tag ($asset)"
}

install_source() {
  local root="${PLAYBOOK_CARGO_ROOT:-$temp/playbook-cargo}"
  local bin="$root/bin/playbook$exe"
  if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    installed "$bin" "the cache of an earlier build"
    return
  fi
  local cargo="${PLAYBOOK_CARGO:-cargo}"
  command -v "$cargo" >/dev/null 2>&1 ||
    fail "no release binary for $RUNNER_OS on $RUNNER_ARCH, and no cargo to build one: add a step that installs Rust (e.g. rustup) before this action, or set its version input to a release that has one"
  echo "building playbook from $source_dir (a few minutes, once: the next run takes it from the cache)"
  "$cargo" install --locked --force --path "$source_dir" --root "$root"
  [ -x "$bin" ] || fail "cargo install finished, but $bin is not there"
  installed "$bin" "cargo install of $source_dir"
}

case "$mode" in
  release) install_release ;;
  source) install_source ;;
esac
