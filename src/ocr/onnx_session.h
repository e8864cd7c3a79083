#pragma once
// One ONNX Runtime session built from in-memory model bytes. Created once per process; Run() is
// thread-safe, so a single instance serves all worker threads.
#include <onnxruntime_cxx_api.h>

#include <string>
#include <vector>

namespace idcard::ocr {

// The process's ONNX Runtime environment, with its telemetry turned off: the service promises to
// run offline, and ORT's builds otherwise queue usage events under $HOME and try to upload them.
// Its one intra-op thread pool (`intra_op_threads`: a read's share of the cores) serves every
// session made in it. A read runs its models one after another, dozens of small runs: with a pool
// per session, each session's threads slept and woke at every operator (spinning would have made
// four pools' idle threads steal the cores from the one running); one pool's threads spin between
// runs instead. One read at a time: ~10 % faster; reads in parallel (the pool then one thread, or a
// share of the cores) as before.
Ort::Env make_ort_env(int intra_op_threads);

// A run's first output, held where ONNX Runtime wrote it (a recognizer's output over 18,708 classes
// is tens of megabytes: copying it cost more than reading it).
class OnnxOutput {
 public:
  explicit OnnxOutput(Ort::Value value);
  const float* data() const { return data_; }
  const std::vector<int64_t>& shape() const { return shape_; }

 private:
  Ort::Value value_;
  const float* data_ = nullptr;
  std::vector<int64_t> shape_;
};

class OnnxSession {
 public:
  // A session using `env`'s thread pool (its own disabled).
  OnnxSession(Ort::Env& env, const std::string& model_bytes);

  // Runs the model's single input -> first output.
  OnnxOutput run(const std::vector<float>& input, const std::vector<int64_t>& shape) const;

 private:
  mutable Ort::Session session_{nullptr};  // Run() is const-safe per ORT's threading contract
  std::string input_name_, output_name_;
  Ort::MemoryInfo memory_info_;
};

}  // namespace idcard::ocr
