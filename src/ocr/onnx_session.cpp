#include "ocr/onnx_session.h"

#include <utility>

namespace idcard::ocr {

Ort::Env make_ort_env(int intra_op_threads) {
  Ort::ThreadingOptions threading;
  threading.SetGlobalIntraOpNumThreads(intra_op_threads < 1 ? 1 : intra_op_threads);
  threading.SetGlobalInterOpNumThreads(1);
  threading.SetGlobalSpinControl(1);
  Ort::Env env{threading, ORT_LOGGING_LEVEL_ERROR, "idcard-ocr"};
  env.DisableTelemetryEvents();
  return env;
}

OnnxSession::OnnxSession(Ort::Env& env, const std::string& model_bytes)
    : memory_info_(Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault)) {
  Ort::SessionOptions opts;
  opts.DisablePerSessionThreads();  // the environment's pool (make_ort_env)
  opts.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  session_ = Ort::Session(env, model_bytes.data(), model_bytes.size(), opts);
  Ort::AllocatorWithDefaultOptions alloc;
  input_name_ = session_.GetInputNameAllocated(0, alloc).get();
  output_name_ = session_.GetOutputNameAllocated(0, alloc).get();
}

OnnxOutput::OnnxOutput(Ort::Value value) : value_(std::move(value)) {
  const auto info = value_.GetTensorTypeAndShapeInfo();
  shape_ = info.GetShape();
  data_ = value_.GetTensorData<float>();
}

OnnxOutput OnnxSession::run(const std::vector<float>& input, const std::vector<int64_t>& shape) const {
  auto tensor = Ort::Value::CreateTensor<float>(memory_info_, const_cast<float*>(input.data()), input.size(),
                                                shape.data(), shape.size());
  const char* in_names[] = {input_name_.c_str()};
  const char* out_names[] = {output_name_.c_str()};
  auto outputs = session_.Run(Ort::RunOptions{nullptr}, in_names, &tensor, 1, out_names, 1);
  return OnnxOutput(std::move(outputs[0]));
}

}  // namespace idcard::ocr
