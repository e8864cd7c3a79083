#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only when some are missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config python3-venv
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  libsqlite3-dev libpq-dev libpqxx-dev libcurl4-openssl-dev libssl-dev libgtest-dev zlib1g-dev
  libheif-dev libseccomp-dev fonts-noto-cjk fonts-ocr-b)
if [ "${WITH_TEST_DEPS:-0}" = 1 ]; then
  pkgs+=(postgresql chromium libclang-rt-14-dev clang-14 nodejs npm curl libheif-examples)
fi
# The WeChat SDK tests' toolchains (Go; a JDK and Maven) and systemd-analyze for the unit check.
if [ "${WITH_TEST_DEPS:-0}" = 1 ]; then
  pkgs+=(golang-go maven default-jdk-headless systemd)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from outside Debian (e.g. nodesource or a preinstalled toolchain).
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
# A Go toolchain already installed (e.g. /usr/local/go) runs the Go SDK test; Debian's otherwise.
if command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == golang-go ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
# Likewise a JDK and Maven already on PATH run the Java SDK test.
if command -v javac >/dev/null && command -v mvn >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == maven || "$p" == default-jdk-headless ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
