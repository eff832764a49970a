#!/usr/bin/env bash
# Runs the browser tests as a machine without Debian's Chromium would: inside a private mount
# namespace, Chromium's binaries, every shared library that Chromium's dependencies add beyond a
# base Debian system (packages of priority required/important and what they depend on), the
# system fonts and the fontconfig configuration are hidden behind empty files and folders.
# Needs root (unshare -m) on Debian or Ubuntu with Chromium installed. Extra arguments go to vitest.
#
#   sudo bash scripts/test-without-system-chromium.sh            # the whole browser project
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

deps() { apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$@" 2>/dev/null | grep -v -e '^ ' -e '<' | sort -u || true; }
deps chromium chromium-common > "$work/chromium-deps"
deps $(dpkg-query -W -f='${Package} ${Priority} ${Essential}\n' | awk '$2=="required" || $2=="important" || $3=="yes" {print $1}') > "$work/base"
comm -23 "$work/chromium-deps" "$work/base" | while read -r pkg; do
  dpkg -s "$pkg" >/dev/null 2>&1 || continue
  dpkg -L "$pkg" | grep -E '\.so(\.|$)' | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done || true
done | sort -u > "$work/hide"
mkdir "$work/empty"
echo "hiding $(wc -l < "$work/hide") shared libraries of Chromium's dependencies, Chromium itself, the fonts and fontconfig"

export HIDE="$work/hide" EMPTY="$work/empty" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
unshare -m bash -euo pipefail -c '
  while read -r f; do mount --bind /dev/null "$f"; done < "$HIDE"
  for f in /usr/bin/chromium /usr/lib/chromium/chromium /usr/bin/chromium-browser; do [ -e "$f" ] && mount --bind /dev/null "$f"; done
  for d in /etc/fonts /usr/share/fonts; do [ -d "$d" ] && mount --bind "$EMPTY" "$d"; done
  echo "chromium on PATH: $(which chromium || echo none)"
  # A fresh machine has no unpacked copy either.
  rm -rf "${TMPDIR:-/tmp}/chromium" "${TMPDIR:-/tmp}/al2023" "${TMPDIR:-/tmp}/fonts"
  npx vitest run --project browser "$@"
' bash "$@"
