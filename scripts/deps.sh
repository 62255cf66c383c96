#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests and the demo need.
# Sourced by scripts/test and scripts/demo; safe to run again.
set -euo pipefail

IC_BUILD_DEPS=(build-essential cmake pkg-config clang libclang-rt-14-dev clang-format
  libssl-dev libuv1-dev libjson-c-dev libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev
  libyaml-dev libcmocka-dev zlib1g-dev)
# The simulated BMCs (../shared/bmcsim) and the peer tools the tests compare with.
IC_TEST_DEPS=(openipmi ipmitool freeipmi-tools python3 python3-cryptography util-linux procps
  iproute2 bc curl openssl prometheus prometheus-ipmi-exporter prometheus-alertmanager)
# The simulated Redfish BMCs (../shared/redfishsim: python3, openssl) and an ISO for the
# virtual media test (genisoimage; without it the test uses random bytes).
IC_TEST_DEPS+=(genisoimage)

ic_install_deps() {
  local missing=()
  for p in "${IC_BUILD_DEPS[@]}" "${IC_TEST_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}
