#pragma once
// Prometheus counters and histograms for the service, owned by the server (no globals).
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace idcard::server {

class Metrics {
 public:
  // `route` is a fixed label ("/cv/ocr/idcard", "/cgi-bin/token", "other"), never a raw path.
  void observe(const std::string& route, int errcode, double seconds);
  // Text exposition format 0.0.4. Gauges are sampled from the callbacks at scrape time.
  std::string render(int queue_depth, int queue_capacity, int busy_workers) const;

  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                       0.5,   1.0,  2.5,   5.0,  10.0, 30.0};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed on render
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace idcard::server
