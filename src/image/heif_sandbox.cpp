#include "image/heif_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace idcard {
namespace {

using Clock = std::chrono::steady_clock;

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// The child, killed and reaped on scope exit unless it was reaped already.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int wait() {  // the exit status, or -1 when it did not exit normally
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_;
};

// Writing to a pipe whose reader died raises SIGPIPE, which would end the whole program (the
// library's users need not ignore it): blocked on this thread while it lives, and one raised
// meanwhile is taken off before unblocking.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{}, old_{};
};

std::uint32_t get_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

// Feeds `in` to the child's stdin and collects its stdout until EOF, at most `max_out` bytes,
// until the deadline. False on timeout, overflow or an I/O error.
bool exchange(Fd input, int from_child, std::string_view in, std::string& out, std::size_t max_out,
              Clock::time_point deadline) {
  const SigpipeBlock no_sigpipe;
  std::size_t sent = 0;
  if (in.empty()) input.reset();
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd fds[2] = {{from_child, POLLIN, 0}, {input.get(), POLLOUT, 0}};
    const int n = ::poll(fds, input.get() >= 0 ? 2 : 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (input.get() >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t w =
          ::write(input.get(), in.data() + sent, std::min<std::size_t>(in.size() - sent, 65536));
      if (w < 0 && errno != EINTR && errno != EAGAIN) input.reset();  // it stopped reading: see its answer
      if (w > 0) sent += static_cast<std::size_t>(w);
      if (sent == in.size()) input.reset();  // EOF for the child
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t r = ::read(from_child, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r <= 0) return r == 0;
      out.append(buf, static_cast<std::size_t>(r));
      if (out.size() > max_out) return false;
    }
  }
}

}  // namespace

std::string default_heif_decoder() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto candidate = self.parent_path() / "idcard-heif-decode";
  return ::access(candidate.c_str(), X_OK) == 0 ? candidate.string() : std::string();
}

cv::Mat decode_heif_sandboxed(std::string_view bytes, const std::string& decoder_program,
                              std::size_t max_pixels, std::chrono::milliseconds deadline_in) {
  if (decoder_program.empty() || max_pixels == 0) return {};
  const auto deadline = Clock::now() + deadline_in;
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return {};
  Fd in_read(in_pipe[0]), in_write(in_pipe[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return {};
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // no socket or file of ours goes with it
  const std::string pixels_arg = std::to_string(max_pixels);
  std::vector<char*> argv = {const_cast<char*>(decoder_program.c_str()),
                             const_cast<char*>(pixels_arg.c_str()), nullptr};
  char* envp[] = {nullptr};  // nothing of ours is passed on
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, decoder_program.c_str(), &actions, nullptr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return {};
  Child child(pid);
  in_read.reset();
  out_write.reset();

  std::string out;
  const std::size_t max_out = 16 + max_pixels * 4;
  // exchange() owns the write end: it closes it once the bytes are written (the child's EOF).
  const bool done = exchange(Fd(in_write.release()), out_read.get(), bytes, out, max_out, deadline);
  if (!done || child.wait() != 0) return {};  // (a child still running is killed on scope exit)
  if (out.size() < 16 || out.compare(0, 4, "IDHF") != 0) return {};
  const std::uint32_t w = get_u32(out, 4), h = get_u32(out, 8), channels = get_u32(out, 12);
  if (w == 0 || h == 0 || (channels != 3 && channels != 4)) return {};
  if (static_cast<std::uint64_t>(w) * h > max_pixels) return {};
  if (out.size() != 16 + static_cast<std::size_t>(w) * h * channels) return {};
  const cv::Mat rgb(static_cast<int>(h), static_cast<int>(w), channels == 4 ? CV_8UC4 : CV_8UC3,
                    out.data() + 16);
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, channels == 4 ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);  // a copy: `out` goes
  return bgr;
}

}  // namespace idcard
