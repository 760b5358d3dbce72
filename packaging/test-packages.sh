#!/usr/bin/env bash
# Builds the .deb and .rpm packages and checks them (packaging/README.md):
#   build    the `package` preset, then cpack -G DEB and -G RPM into build/package/dist
#   unit     systemd-analyze verify and security on the unit (packaging/check-unit.sh)
#   lintian  lintian --fail-on error on every .deb
#   rpm      rpm -qlp, --requires, --scripts, --configfiles on every .rpm
#   chroot   the .deb installed into a fresh Debian bookworm chroot (debootstrap): ferry --version, config
#            check, a node started from the installed files as user ferry, a file streamed into it with
#            ferry send, then remove (configuration kept) and purge (configuration gone). Slow: minutes.
# Usage: packaging/test-packages.sh [STAGE...]   (default: every stage, in that order). Needs root.
# The bookworm base system is made once from the mirror configured for apt on this machine and kept in
# $FERRY_CHROOT_CACHE (default /var/tmp/ferry-bookworm-base); each run installs into a fresh copy of it.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build=$source_dir/build/package
dist=$build/dist
stages=("$@")
((${#stages[@]} > 0)) || stages=(build unit lintian rpm chroot)

scripts/setup.sh lintian rpm debootstrap systemd man-db dpkg-dev fakeroot file

fail() {
  echo "test-packages: $*" >&2
  exit 1
}

stage_build() {
  cmake --preset package >/dev/null
  cmake --build --preset package -- -j2
  rm -rf "$dist"
  (cd "$build" && cpack -G "DEB;RPM" -B "$dist" >/dev/null)
  rm -rf "$dist/_CPack_Packages"
  ls "$dist"
}

debs() { compgen -G "$dist/*.deb" || fail "no .deb in $dist: run the build stage first"; }
rpms() { compgen -G "$dist/*.rpm" || fail "no .rpm in $dist: run the build stage first"; }

stage_unit() {
  local root
  root=$(mktemp -d)
  dpkg-deb -x "$dist"/ferry_*.deb "$root"
  gzip -dc "$root/usr/share/man/man1/ferry.1.gz" >"$root/ferry.1"
  packaging/check-unit.sh "$root/usr/bin/ferry" "$root/ferry.1" "$root/usr/lib/systemd/system/ferry.service"
  rm -rf "$root"
}

stage_lintian() {
  local deb
  for deb in $(debs); do
    lintian --fail-on error --tag-display-limit 0 "$deb" || fail "lintian finds errors in $(basename "$deb")"
    echo "lintian: $(basename "$deb") has no errors"
  done
}

# One rpm query of a package, for the checks below.
query() { rpm -qp "$@" 2>/dev/null; }

stage_rpm() {
  local package name files requires
  for package in $(rpms); do
    name=$(query --qf '%{NAME}' "$package")
    files=$(query -l "$package")
    requires=$(query --requires "$package")
    # No directory that the filesystem package or another package owns: every directory listed must be ferry's.
    local owned
    owned=$(query --qf '[%{FILENAMES} %{FILEMODES:perms}\n]' "$package" | awk '$2 ~ /^d/ { print $1 }')
    local directory
    for directory in $owned; do
      case $directory in
        */ferry | */ferry/* | */ferry-sdk | */ferry-sdk/*) ;;
        *) fail "$name owns the system directory $directory" ;;
      esac
    done
    # Requirements: shared libraries (name.so.N(...)) and the dynamic loader's hash style, the shell of the
    # scripts, rpm's own features, the node's config(ferry) (which it provides itself), shadow-utils for
    # its %pre, and pkg-config, which rpm requires for the SDK's .pc file; nothing else.
    local requirement
    while read -r requirement; do
      case $name:$requirement in
        *:*.so* | *:"rtld(GNU_HASH)" | *:/bin/sh | *:"rpmlib("* | ferry:shadow-utils | "ferry:config(ferry) = "* | ferry-sdk:/usr/bin/pkg-config) ;;
        *) fail "$name requires '$requirement', which is not a runtime library" ;;
      esac
    done <<<"$requires"
    if [[ $name == ferry ]]; then
      grep -qx /usr/bin/ferry <<<"$files" || fail "ferry does not hold /usr/bin/ferry"
      grep -qx /usr/lib/ferry/plugins/transport-tcp.so <<<"$files" || fail "ferry holds no plugins in /usr/lib/ferry/plugins"
      grep -qx /usr/lib/systemd/system/ferry.service <<<"$files" || fail "ferry does not hold its systemd unit"
      [[ $(query --configfiles "$package") == /etc/ferry/node.toml ]] || fail "ferry's configuration files are not exactly /etc/ferry/node.toml"
      query --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$package" | grep -qx '/etc/ferry/node.toml cn' ||
        fail "/etc/ferry/node.toml is not %config(noreplace)"
      query --qf '[%{FILENAMES} %{FILEUSERNAME} %{FILEGROUPNAME}\n]' "$package" | grep -qx '/var/lib/ferry ferry ferry' ||
        fail "/var/lib/ferry does not belong to the ferry user"
      query --scripts "$package" | grep -q 'useradd -r -g ferry' || fail "ferry's %pre does not create the ferry user"
      query --scripts "$package" | grep -q 'systemctl try-restart ferry.service' || fail "ferry's %postun does not restart the service"
      grep -q 'libssl.so' <<<"$requires" || fail "ferry does not require libssl, which its openssl plugin links"
    else
      grep -qx /usr/include/ferry/abi.h <<<"$files" || fail "$name does not hold the ABI header"
      grep -qx /usr/share/pkgconfig/ferry-sdk.pc <<<"$files" || fail "$name does not hold its pkg-config module"
      grep -qx /usr/share/ferry-sdk/cmake/ferry-sdk-config.cmake <<<"$files" || fail "$name does not hold its CMake package"
    fi
    echo "rpm: $name: files, requirements ($(wc -l <<<"$requires")), scripts and configuration files as expected"
  done
}

# The URI of the bookworm archive that apt on this machine uses (deb822 or one-line sources).
configured_mirror() {
  local file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    awk '
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") found = uri }
      /^deb / && $3 == "bookworm" { found = $2 }
      /^[[:space:]]*$/ { uri = "" }
      found { print found; exit }
    ' "$file"
  done | head -n 1
}

chroot_base() {
  local base=${FERRY_CHROOT_CACHE:-/var/tmp/ferry-bookworm-base}
  if [[ ! -f $base/.complete ]]; then
    local mirror
    mirror=$(configured_mirror)
    [[ -n $mirror ]] || fail "no bookworm archive in /etc/apt/sources.list*"
    rm -rf "$base"
    echo "chroot: debootstrap bookworm into $base" >&2
    debootstrap --variant=minbase bookworm "$base" "$mirror" >"$build/debootstrap.log" 2>&1 ||
      fail "debootstrap failed; see $build/debootstrap.log"
    touch "$base/.complete"
  fi
  echo "$base"
}

stage_chroot() {
  local base root
  base=$(chroot_base)
  root=$(mktemp -d /var/tmp/ferry-chroot.XXXXXX)
  cleanup_chroot() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
  }
  trap cleanup_chroot EXIT
  cp -a "$base/." "$root/"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  local deb packages=()
  for deb in $(debs); do
    cp "$deb" "$root/tmp/"
    packages+=("/tmp/$(basename "$deb")")
  done
  in_root() { chroot "$root" "$@"; }

  in_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends "${packages[@]}" \
    >"$build/chroot-install.log" 2>&1 || fail "installing the .deb failed; see $build/chroot-install.log"
  in_root ferry --version
  in_root ferry config check /etc/ferry/node.toml || fail "the packaged configuration does not pass ferry config check"
  in_root getent passwd ferry >/dev/null || fail "installing did not create the ferry user"
  [[ $(in_root stat -c %U /var/lib/ferry) == ferry ]] || fail "/var/lib/ferry does not belong to ferry"
  in_root ferry plugins | grep -A1 '^loaded *transport tcp ' | grep -q /usr/lib/ferry/plugins/transport-tcp.so ||
    fail "the installed ferry does not load its tcp plugin from /usr/lib/ferry/plugins"

  # The node as the unit runs it (user ferry, the packaged configuration), on a port of the OS's choosing.
  local log=$root/tmp/node.log
  # setpriv execs the node itself, so that $! is the node and SIGTERM reaches it alone.
  chroot "$root" setpriv --reuid=ferry --regid=ferry --init-groups ferry node -c /etc/ferry/node.toml \
    --set transport.listen=127.0.0.1:0 2>"$log" &
  local node=$! address=""
  for _ in $(seq 100); do
    address=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$log")
    grep -q "ready; default sink" "$log" && [[ -n $address ]] && break
    kill -0 "$node" 2>/dev/null || { cat "$log" >&2; fail "the installed node exited at start"; }
    sleep 0.2
  done
  [[ -n $address ]] || { kill "$node"; cat "$log" >&2; fail "the installed node did not get ready"; }
  head -c 1048576 /dev/urandom >"$root/tmp/payload.bin"
  in_root ferry send --to "$address" /tmp/payload.bin || { kill "$node"; cat "$log" >&2; fail "ferry send failed"; }
  kill -TERM "$node"
  wait "$node" || { cat "$log" >&2; fail "the installed node did not stop cleanly"; }
  grep -q "sink 'null': 1 files committed (1048576 bytes)" "$log" ||
    { cat "$log" >&2; fail "the installed node did not receive the file"; }
  echo "chroot: installed node at $address received 1 MiB from ferry send"

  # dpkg says that it keeps /var/lib/ferry, which now holds the node's id.
  in_root apt-get remove -y -qq ferry >"$build/chroot-remove.log" 2>&1 || fail "apt-get remove failed; see $build/chroot-remove.log"
  [[ -f $root/etc/ferry/node.toml ]] || fail "removing the package deleted /etc/ferry/node.toml"
  [[ ! -e $root/usr/bin/ferry ]] || fail "removing the package left /usr/bin/ferry"
  in_root dpkg-query -W -f='${Status}' ferry | grep -q 'config-files' || fail "ferry is not in state config-files after remove"
  in_root apt-get purge -y -qq ferry >"$build/chroot-purge.log" 2>&1 || fail "apt-get purge failed; see $build/chroot-purge.log"
  [[ ! -e $root/etc/ferry/node.toml ]] || fail "purging the package left /etc/ferry/node.toml"
  ! in_root dpkg-query -W ferry >/dev/null 2>&1 || fail "dpkg still knows ferry after purge"
  echo "chroot: remove kept /etc/ferry/node.toml, purge deleted it"
  cleanup_chroot
  trap - EXIT
}

for stage in "${stages[@]}"; do
  case $stage in
    build | unit | lintian | rpm | chroot) "stage_$stage" ;;
    *) fail "unknown stage '$stage' (build, unit, lintian, rpm, chroot)" ;;
  esac
done
echo "test-packages: ${stages[*]} passed"
