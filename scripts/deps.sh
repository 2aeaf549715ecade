#!/bin/sh
# scripts/deps.sh -- make sure the Debian packages Swarm builds with are here.
# As root it installs the missing ones; otherwise it prints the one
# apt-get line to run and fails. Extra package names may be passed as
# arguments (make bench passes its peers; the browser tests pass chromium;
# make fuzz passes afl++).
set -eu
pkgs="make gcc flex bison libcurl4-openssl-dev libevent-dev libjsmn-dev libjs-chart.js curl python3 procps libpcre2-dev $*"
# issue 9: openssl makes the TLS test's self-signed certificate
pkgs="$pkgs openssl"
# cluster (issue 7): ZeroMQ and MessagePack; Locust for the interop tests
pkgs="$pkgs libzmq3-dev libmsgpack-dev python3-locust python3-zmq python3-msgpack"
# native HTTP engine (issue 8): joyent's http_parser, zlib for gzip/deflate
pkgs="$pkgs libhttp-parser-dev zlib1g-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "deps: missing packages; run:  sudo apt-get install -y$missing" >&2
    exit 1
fi
