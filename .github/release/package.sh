#!/usr/bin/env bash
# Packs one release archive, as .github/workflows/release.yml calls it and
# as action/install.sh unpacks it:
#
#   .github/release/package.sh TARGET BINARY OUTDIR
#
# writes OUTDIR/playbook-TARGET.tar.gz (.zip for Windows) holding the folder
# playbook-TARGET/ with the binary and README.md, and beside it
# playbook-TARGET.tar.gz.sha256, `digest  name` as sha256sum writes it.
# The names carry no version, so releases/latest/download/NAME always works.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 TARGET BINARY OUTDIR" >&2
  exit 2
fi
target="$1"
binary="$2"
outdir="$3"
root="$(cd "$(dirname "$0")/../.." && pwd)"

exe=""
case "$target" in
  *-windows-*) exe=".exe" ;;
esac
[ -f "$binary" ] || {
  echo "$binary: no such file (build it first: cargo build --release --target $target)" >&2
  exit 1
}

mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
name="playbook-$target"
mkdir "$work/$name"
cp "$binary" "$work/$name/playbook$exe"
chmod +x "$work/$name/playbook$exe"
cp "$root/README.md" "$work/$name/README.md"

if [ -n "$exe" ]; then
  asset="$name.zip"
  rm -f "$outdir/$asset"
  if command -v zip >/dev/null 2>&1; then
    (cd "$work" && zip -qr "$outdir/$asset" "$name")
  else
    (cd "$work" && 7z a -tzip "$outdir/$asset" "$name" >/dev/null)
  fi
else
  asset="$name.tar.gz"
  tar -czf "$outdir/$asset" -C "$work" "$name"
fi

if command -v sha256sum >/dev/null 2>&1; then
  (cd "$outdir" && sha256sum "$asset" >"$asset.sha256")
else
  (cd "$outdir" && shasum -a 256 "$asset" >"$asset.sha256")
fi
cat "$outdir/$asset.sha256"
