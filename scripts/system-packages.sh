#!/usr/bin/env bash
# Provides the system packages the test suite and the benchmarks need: Debian's Chromium for the browser tests;
# nginx, the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) and chattr for the fault
# tests, which run clusters of their own. As root it installs what is missing with apt-get;
# otherwise it stops with the exact command.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v chattr >/dev/null || missing+=(e2fsprogs)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages for the tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # The tests need the binaries only: no cluster of the package's own on port 5432.
    apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
    sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
