#include "server/connection_threads.h"

#include <algorithm>
#include <utility>

namespace idcard::server {

ConnectionThreads::ConnectionThreads(std::size_t warm, std::size_t max_threads)
    : max_threads_(std::max<std::size_t>(1, max_threads)) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < std::min(std::max<std::size_t>(1, warm), max_threads_); ++i) start_thread();
}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::start_thread() {
  threads_.emplace_back([this] { work(); });
  ++idle_;  // counted idle from the start: it picks up a job as soon as it runs
}

void ConnectionThreads::enqueue(std::function<void()> fn) {
  {
    std::unique_lock lock(mu_);
    if (stopping_) {  // httplib stops enqueueing before shutdown; were it not so, still serve it
      lock.unlock();
      fn();
      return;
    }
    jobs_.push_back(std::move(fn));
    // Idle threads are spoken for by jobs already waiting; a job beyond them gets a new thread.
    if (jobs_.size() > idle_ && threads_.size() < max_threads_) start_thread();
  }
  wake_.notify_one();
}

void ConnectionThreads::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) break;  // stopping, and nothing left to serve
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    --idle_;
    lock.unlock();
    job();
    job = nullptr;  // destroyed outside the lock
    lock.lock();
    ++idle_;
  }
}

void ConnectionThreads::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& t : threads) t.join();
}

std::size_t ConnectionThreads::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

}  // namespace idcard::server
