#pragma once
// httplib's task queue, sized to the connections rather than to a fixed thread count.
//
// httplib 0.11 serves each connection on one thread from accept to close, and its read timeout
// is per recv: a client sending a header byte a second holds its thread indefinitely. With the
// fixed pool of --threads (8) threads, eight such clients made every other caller wait. Here a
// connection that finds no idle thread gets a new one, up to `max_threads`; only beyond that do
// connections wait for a thread. Threads are cheap for this I/O-bound work (a mostly untouched
// stack each); recognition runs in its own bounded pool (OcrPool) whatever the thread count.
#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace idcard::server {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  // `warm` threads start at once; more are started on demand up to `max_threads`, and stay.
  ConnectionThreads(std::size_t warm, std::size_t max_threads);
  ~ConnectionThreads() override;
  ConnectionThreads(const ConnectionThreads&) = delete;
  ConnectionThreads& operator=(const ConnectionThreads&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;  // runs the queued connections, then joins every thread

  std::size_t threads() const;

 private:
  void start_thread();  // with mu_ held
  void work();

  const std::size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace idcard::server
