#include "core/settings.h"

#include <algorithm>
#include <thread>

namespace idcard {

int intra_op_threads_for(const EngineSettings& engine, int concurrent_reads) {
  if (engine.intra_op_threads > 0) return engine.intra_op_threads;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, concurrent_reads));
}

}  // namespace idcard
