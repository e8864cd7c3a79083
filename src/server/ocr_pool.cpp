#include "server/ocr_pool.h"

namespace idcard::server {

OcrPool::OcrPool(int workers, int queue_capacity) : capacity_(queue_capacity < 0 ? 0 : queue_capacity) {
  if (workers < 1) workers = 1;
  workers_ = workers;
  threads_.reserve(static_cast<std::size_t>(workers));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

OcrPool::~OcrPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

bool OcrPool::try_submit(std::function<void()> work, std::function<void()> publish) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    if (busy_ + static_cast<int>(queue_.size()) >= workers_ + capacity_) return false;
    queue_.push_back({std::move(work), std::move(publish)});
  }
  ready_.notify_one();
  return true;
}

int OcrPool::queue_depth() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(queue_.size());
}

int OcrPool::busy() const {
  std::lock_guard lock(mu_);
  return busy_;
}

void OcrPool::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    job.work();  // jobs catch their own exceptions
    lock.lock();
    --busy_;
    if (job.publish) {
      lock.unlock();
      job.publish();
      lock.lock();
    }
  }
}

}  // namespace idcard::server
