#pragma once
// The one typed settings struct. Filled from defaults, then environment, then command-line flags
// (src/cli); passed down by const reference. Nothing reads the environment anywhere else.
#include <cstddef>
#include <string>
#include <vector>

#include "core/engine_settings.h"

namespace idcard {

// Intra-op threads when `concurrent_reads` reads share the machine: an explicit setting wins;
// otherwise cores / concurrent reads (one read alone uses every core, N workers one each on N cores).
int intra_op_threads_for(const EngineSettings& engine, int concurrent_reads);

struct StorageSettings {
  // "sqlite:///path/to/file.db" or "postgresql://..."; empty = sqlite file under data_dir.
  std::string database_url;
  std::string data_dir = "data";
};

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
  int http_threads = 8;  // connection threads started at once (I/O-bound: reading, writing)
  // Connection threads started on demand beyond those: each connection holds one from accept to
  // close, slow ones included (httplib's read timeout is per recv), so this, not http_threads,
  // is how many connections are served at once; more wait for a thread.
  int max_connections = 512;
  int ocr_workers = 2;         // recognition pool, one per core by default
  int ocr_queue = 16;          // waiting recognitions beyond the workers; more -> -1 at once
  bool demo = false;           // serve the demo page and demo app (default on for loopback)
  bool demo_explicit = false;  // --demo given
  std::size_t max_body_bytes = 2 * 1024 * 1024 + 64 * 1024;  // image + multipart framing
  std::size_t max_image_bytes = 2 * 1024 * 1024;             // the `img` field; more -> 40006
  int read_timeout_s = 10;  // per recv (httplib's): a client trickling bytes never trips it, hence:
  // A connection must send a whole request head within this many seconds of connecting or of its
  // last answer, or it is closed (ConnectionWatch); 0 = off.
  int head_timeout_s = 10;
  // After head_timeout_s of grace, a body must arrive at this many bytes a second on average
  // (ConnectionWatch; only while head_timeout_s > 0); 0 = any pace. 4 KB/s is slower than a 2G
  // phone link, and holds a connection for at most ~9 min on a 2 MB upload.
  int min_body_rate = 4096;
  int write_timeout_s = 10;
  // Non-empty: /metrics, and /readyz's details, answer only "Authorization: Bearer <token>".
  std::string metrics_token;
  // A failure that repeats (e.g. every call during a database outage) is logged once per this
  // many seconds, with the count of the calls not logged in between.
  int failure_log_interval_s = 10;
  int token_ttl_s = 7200;
  int token_overlap_s = 300;  // old token stays valid this long after a new one is issued
  int default_daily_quota = 100;
  // img_url fetching
  std::vector<std::string> fetch_allow_hosts;  // hosts/CIDRs admitted even if private/loopback
  int fetch_connect_timeout_s = 3;
  int fetch_total_timeout_s = 10;
  int fetch_max_redirects = 3;
  std::size_t fetch_max_bytes = 2 * 1024 * 1024;
  // Testing hook: seconds added to the wall clock (token expiry, quota days). 0 in production.
  long long clock_offset_s = 0;
  // Testing hook: a file holding more offset seconds, re-read on every clock reading (hidden
  // --fake-clock-file flag; empty in production). Only the operator's command line sets it.
  std::string clock_offset_file;
  int demo_daily_quota = 1000;  // the built-in demo app's quota
};

struct Settings {
  std::string log_level =
      "info";  // trace logs recognised text: never enable it on personal data in production
  EngineSettings engine;
  StorageSettings storage;
  ServerSettings server;
};

}  // namespace idcard
