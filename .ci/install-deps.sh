#!/usr/bin/env bash
# install-deps.sh installs the system packages todoku's tests use on a fresh
# Debian machine: gcc for `go test -race` (cgo), Chromium for the
# status-page browser test (api) and systemd-analyze for the unit-file
# checks (packaging). The browser and unit-file tests skip with a reason
# when their tool is missing.
#
# Idempotent: when everything is present it exits at once without touching
# apt. Runs apt-get update at most once. Needs root (or sudo).
set -euo pipefail

# command -> Debian package that provides it. gcc (with libc6-dev) is
# needed by `go test -race`, which uses cgo.
declare -A wanted=(
	[/usr/bin/chromium]=chromium
	[systemd-analyze]=systemd
	[gcc]=gcc
	# Dovecot for the mail package's IMAP integration test (mail/dovecot_test.go).
	[/usr/sbin/dovecot]=dovecot-imapd
)

missing=()
for cmd in "${!wanted[@]}"; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		missing+=("${wanted[$cmd]}")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: chromium, systemd-analyze, gcc and dovecot already installed"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: apt-get not found; install ${missing[*]} by hand (the tests that need them will skip)" >&2
	exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	else
		echo "install-deps: need root or sudo to install ${missing[*]}" >&2
		exit 1
	fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
if [[ " ${missing[*]} " == *" gcc "* ]]; then
	missing+=(libc6-dev)
fi
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

for cmd in "${!wanted[@]}"; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		echo "install-deps: $cmd still missing after installing ${wanted[$cmd]}" >&2
		exit 1
	fi
done
echo "install-deps: done"
