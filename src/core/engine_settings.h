#pragma once
// What the card reader is configured with: part of the installed library's interface (see
// CardReader), so it holds only standard types and no server or storage settings.
#include <cstddef>
#include <string>

namespace idcard {

struct EngineSettings {
  std::string model_dir;  // holds det.onnx, rec.onnx; empty = build default
  // Threads per inference; 0 = the machine's cores shared out among the reads that run at once
  // (intra_op_threads_for in settings.h). Always set explicitly on ORT, never ORT's default.
  int intra_op_threads = 0;
  bool verify_model_checksums = true;
  // Apply the fine-tuned recognizer layer (rec_tuning.bin beside the models, tools/train_rec);
  // off reads with the recognizer as published (bench/names_bench.py compares the two).
  bool rec_tuning = true;
  std::size_t max_image_bytes = 2 * 1024 * 1024;  // WeChat's limit on uploads
  std::size_t max_decoded_pixels = 40'000'000;    // decompression-bomb cap, checked before decoding
  // The confined HEIF/HEIC decoder program (idcard-heif-decode, built and installed with the
  // library; see image/heif_sandbox.h). Empty: HEIF pictures are refused as unsupported. The
  // command line sets it to the one beside its own binary.
  std::string heif_decoder;
};

}  // namespace idcard
