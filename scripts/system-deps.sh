#!/usr/bin/env bash
# Installs the Debian packages the test suite drives, if missing: a real terminal (tmux), a real
# browser (chromium, driven by playwright-core; never a downloaded browser), fonts for its
# screenshots, python3 for the stand-in 2016 server, inspircd for `howdy bench --irc`, openssl
# for test certificates, nginx (/usr/sbin/nginx) in front of a server as deploy/nginx.conf puts it,
# systemd-analyze to check deploy/howdy.service (no systemd need run); and what `npm ci` needs to
# build better-sqlite3 (python3, make, g++), which is why .ci/run runs this before it.
set -euo pipefail
missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
need_cmd tmux tmux
need_cmd chromium chromium
need_cmd python3 python3
need_cmd make make
need_cmd g++ g++
need_cmd inspircd inspircd
need_pkg fonts-dejavu-core
need_cmd openssl openssl
need_pkg nginx
need_cmd systemd-analyze systemd
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: please install: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
