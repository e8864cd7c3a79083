# syntax=docker/dockerfile:1
# Two stages: the builder compiles the binary and fetches ONNX Runtime and the models through
# scripts/fetch_deps.sh (pinned versions, every archive and file checked against its SHA-256);
# the runtime stage holds the binary, libonnxruntime and the models, runs as an unprivileged user
# and never downloads anything. The engine re-checks the model digests when it loads them.
#
#   docker build -t idcard-ocr .
#   docker run --rm -p 8080:8080 -v idcard-data:/var/lib/idcard-ocr idcard-ocr

# Debian 12, matching the packages the project builds against. Pin it by digest in production
# (debian:12-slim@sha256:…): the registry was not reachable where this file was written.
ARG DEBIAN=debian:12-slim

FROM ${DEBIAN} AS builder
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates python3 python3-pip npm \
      libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev \
      libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libcli11-dev \
      libsqlite3-dev libpq-dev libpqxx-dev libcurl4-openssl-dev libssl-dev zlib1g-dev \
      libheif-dev libseccomp-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/fetch_deps.sh scripts/
RUN scripts/fetch_deps.sh
COPY CMakeLists.txt ./
COPY cmake cmake
COPY src src
COPY data/divisions.csv data/streets.csv.gz data/
COPY docs/openapi.json docs/
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DIDCARD_BUILD_TESTS=OFF \
      -DIDCARD_DEFAULT_MODEL_DIR=/opt/idcard-ocr/models \
 && cmake --build build --target idcard-ocr \
 && install -D -m 0755 build/idcard-ocr /out/usr/local/bin/idcard-ocr \
 && install -D -m 0755 build/idcard-heif-decode /out/usr/local/bin/idcard-heif-decode \
 && install -D -m 0644 .deps/onnxruntime/lib/libonnxruntime.so /out/usr/local/lib/libonnxruntime.so.1 \
 && install -d /out/opt/idcard-ocr/models \
 && install -m 0444 .deps/models/* /out/opt/idcard-ocr/models/ \
 && find /out/opt /out/usr -type f -exec sha256sum {} + | sed 's| /out/| /|' > /out/SHA256SUMS

FROM ${DEBIAN}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl \
      libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 \
      libcpp-httplib0.11 libspdlog1.10 libsqlite3-0 libpqxx-6.4 libcurl4 libssl3 zlib1g libheif1 libseccomp2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 idcard \
 && useradd --system --uid 10001 --gid idcard --home-dir /var/lib/idcard-ocr --shell /usr/sbin/nologin idcard \
 && install -d -o idcard -g idcard -m 0750 /var/lib/idcard-ocr
COPY --from=builder /out/usr /usr
COPY --from=builder /out/opt /opt
COPY --from=builder /out/SHA256SUMS /opt/idcard-ocr/SHA256SUMS
# The copied files are the ones the builder checked; ldconfig makes libonnxruntime findable.
RUN sha256sum --check --quiet /opt/idcard-ocr/SHA256SUMS && ldconfig
USER 10001:10001
ENV IDCARD_OCR_MODEL_DIR=/opt/idcard-ocr/models \
    IDCARD_OCR_DATA_DIR=/var/lib/idcard-ocr
VOLUME ["/var/lib/idcard-ocr"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/idcard-ocr"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
