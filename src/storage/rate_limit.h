#pragma once
// An app's request rate as a GCRA bucket (generic cell rate algorithm): one number per app, its
// theoretical arrival time (TAT). A call at `now` is admitted when max(TAT, now) + interval lies at
// most burst * interval ahead of now, and then moves TAT there. The state is a single integer, so
// the test-and-update is one conditional UPSERT in the database (exact across replicas), and
// admitted calls over any window of W seconds never exceed burst + W * rps.
#include <cstdint>

namespace idcard::storage {

// Microseconds between calls at `rps` (> 0), at least 1.
std::int64_t rate_interval_us(double rps);

// The burst used for `rps` when none was set: one second's worth of calls, at least 1.
int default_burst(double rps);

// Bounds `apps set-rate` accepts, so that burst * interval stays far inside 64 bits.
inline constexpr double kMinRps = 0.001;
inline constexpr double kMaxRps = 1e6;
inline constexpr int kMaxBurst = 1000000;

}  // namespace idcard::storage
