#!/usr/bin/env bash
# Acceptance for the systemd unit: `systemd-analyze verify` accepts it (syntax, known settings, the
# ExecStart binary, the man page it names) and `systemd-analyze security --offline=true` rates its
# exposure at most 4.0. Prints the exposure figure, which packaging/README.md records.
# Usage: check-unit.sh FERRY_BINARY MAN_PAGE [UNIT]   (UNIT defaults to packaging/systemd/ferry.service)
set -euo pipefail
ferry=$(realpath "$1")
man_page=$(realpath "$2")
unit=${3:-$(dirname "$0")/systemd/ferry.service}
limit=4.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The unit names the installed /usr/bin/ferry; a copy names the binary under test instead, so that verify
# checks a real executable. Its name stays ferry.service: security rates units by name.
mkdir -p "$work/units" "$work/man/man1"
sed "s#/usr/bin/ferry#$ferry#g" "$unit" >"$work/units/ferry.service"
cp "$man_page" "$work/man/man1/ferry.1"

if ! MANPATH="$work/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$work/units/ferry.service" \
    >"$work/verify.log" 2>&1 || [[ -s "$work/verify.log" ]]; then
  echo "check-unit: systemd-analyze verify rejects the unit:" >&2
  cat "$work/verify.log" >&2
  exit 1
fi

systemd-analyze security --offline=true --no-pager "$work/units/ferry.service" >"$work/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for ferry\.service: \([0-9.]*\).*/\1/p' "$work/security.log")
if [[ -z "$exposure" ]]; then
  echo "check-unit: systemd-analyze security printed no exposure level:" >&2
  cat "$work/security.log" >&2
  exit 1
fi
if ! awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e <= l) }'; then
  echo "check-unit: exposure $exposure is above $limit:" >&2
  grep '✗' "$work/security.log" >&2 || true
  exit 1
fi
echo "check-unit: systemd-analyze verify passes; exposure $exposure (at most $limit)"
