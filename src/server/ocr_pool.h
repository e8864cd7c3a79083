#pragma once
// Fixed pool of recognition threads with a bounded queue. Recognition is CPU-bound: more threads
// than cores only adds latency, and an unbounded queue only turns overload into timeouts, so a
// full queue refuses at once (the caller answers errcode -1 "overloaded").
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace idcard::server {

class OcrPool {
 public:
  OcrPool(int workers, int queue_capacity);
  ~OcrPool();  // finishes queued jobs, then joins
  OcrPool(const OcrPool&) = delete;
  OcrPool& operator=(const OcrPool&) = delete;

  // Queues `work` unless every worker is busy and `queue_capacity` jobs already wait; never
  // blocks. `publish` runs after the job's slot is freed, so a caller that saw the result of
  // one job always finds room for its next one (no false "overloaded" in that window).
  bool try_submit(std::function<void()> work, std::function<void()> publish = {});

  int queue_depth() const;  // jobs waiting for a worker
  int busy() const;         // workers running a job
  int capacity() const { return capacity_; }

 private:
  void work();

  const int capacity_;
  int workers_ = 0;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  struct Job {
    std::function<void()> work, publish;
  };
  std::deque<Job> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace idcard::server
