#include "server/metrics.h"

#include <sstream>

namespace idcard::server {

void Metrics::observe(const std::string& route, int errcode, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, errcode}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(int queue_depth, int queue_capacity, int busy_workers) const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP idcard_requests_total Requests answered, by route and WeChat errcode.\n"
         "# TYPE idcard_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "idcard_requests_total{route=\"" << key.first << "\",errcode=\"" << key.second << "\"} " << n << "\n";
  out << "# HELP idcard_request_duration_seconds Time from request to answer.\n"
         "# TYPE idcard_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "idcard_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i]
          << "\"} " << cumulative << "\n";
    }
    out << "idcard_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
        << "idcard_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
        << "idcard_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  out << "# HELP idcard_ocr_queue_depth Recognitions waiting for a worker.\n"
         "# TYPE idcard_ocr_queue_depth gauge\n"
      << "idcard_ocr_queue_depth " << queue_depth << "\n"
      << "# HELP idcard_ocr_queue_capacity Waiting recognitions allowed before answering -1.\n"
         "# TYPE idcard_ocr_queue_capacity gauge\n"
      << "idcard_ocr_queue_capacity " << queue_capacity << "\n"
      << "# HELP idcard_ocr_busy_workers Recognition workers running a job.\n"
         "# TYPE idcard_ocr_busy_workers gauge\n"
      << "idcard_ocr_busy_workers " << busy_workers << "\n";
  return out.str();
}

}  // namespace idcard::server
