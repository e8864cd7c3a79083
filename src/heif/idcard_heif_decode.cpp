// idcard-heif-decode: decodes one HEIF/HEIC picture from stdin in a process of its own.
//
// libheif (1.15, Debian 12) is not safe on hostile input: libFuzzer found a 1 KB file that
// overflows its stack and another that ties up threads. So the engine never parses HEIF itself;
// it runs this program per picture (image/heif_sandbox.h) and a crash, a hang or a memory bomb
// ends here, not in the service. Before a byte of the picture is parsed this process limits its
// CPU time, memory, files and core dumps, and confines itself with seccomp to computing and to
// reading and writing the pipes it was given: no file is opened, no socket, no program run.
//
// Usage: idcard-heif-decode MAX_PIXELS < picture > pixels
//        idcard-heif-decode --check-confinement   (exit 0 when, confined, no file or socket opens)
// Output (exit 0): "IDHF", then width, height and channels (3 = RGB, 4 = RGBA) as little-endian
// uint32, then the rows, packed. Exit 2: not a HEIF it can decode, or over MAX_PIXELS.
#include <fcntl.h>
#include <libheif/heif.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
// In sanitizer builds: LeakSanitizer's exit check stops the world through ptrace, which the
// confinement forbids (it would spin forever). The caller passes no environment, so say it here.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#endif

namespace {

constexpr std::size_t kMaxInput = 64 * 1024 * 1024;  // far above the service's 2 MB uploads

void limit(int resource, rlim_t value) {
  const rlimit r{value, value};
  setrlimit(resource, &r);
}

bool confine() {
  limit(RLIMIT_CPU, 20);  // seconds of CPU; the caller's wall-clock deadline is shorter
  limit(RLIMIT_FSIZE, 0);
  limit(RLIMIT_CORE, 0);
  limit(RLIMIT_NOFILE, 16);
#if !defined(__SANITIZE_ADDRESS__)
  limit(RLIMIT_AS, rlim_t{2} << 30);  // ASan reserves far more address space than it uses
#endif
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  // Everything not listed fails with EPERM (a decoder that probes for something gets an error,
  // not a kill; the output then decides).
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (!ctx) return false;
  bool ok = true;
  for (const int sc : {SCMP_SYS(read),
                       SCMP_SYS(write),
                       SCMP_SYS(readv),
                       SCMP_SYS(writev),
                       SCMP_SYS(close),
                       SCMP_SYS(exit),
                       SCMP_SYS(exit_group),
                       SCMP_SYS(brk),
                       SCMP_SYS(mmap),
                       SCMP_SYS(munmap),
                       SCMP_SYS(mremap),
                       SCMP_SYS(mprotect),
                       SCMP_SYS(madvise),
                       SCMP_SYS(futex),
                       SCMP_SYS(clone),
                       SCMP_SYS(set_robust_list),
                       SCMP_SYS(rseq),
                       SCMP_SYS(rt_sigprocmask),
                       SCMP_SYS(rt_sigaction),
                       SCMP_SYS(rt_sigreturn),
                       SCMP_SYS(sigaltstack),
                       SCMP_SYS(sched_yield),
                       SCMP_SYS(sched_getaffinity),
                       SCMP_SYS(getrandom),
                       SCMP_SYS(gettid),
                       SCMP_SYS(getpid),
                       SCMP_SYS(tgkill),
                       SCMP_SYS(nanosleep),
                       SCMP_SYS(clock_nanosleep),
                       SCMP_SYS(clock_gettime),
                       SCMP_SYS(gettimeofday),
                       SCMP_SYS(fstat),
                       SCMP_SYS(newfstatat),
                       SCMP_SYS(lseek),
                       SCMP_SYS(getrlimit),
                       SCMP_SYS(prlimit64),
                       SCMP_SYS(membarrier)})
    ok = ok && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sc, 0) == 0;
  // glibc creates threads with clone3 and falls back to clone only on ENOSYS, not on EPERM.
  ok = ok && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) == 0;
  ok = ok && seccomp_load(ctx) == 0;
  seccomp_release(ctx);
  return ok;
}

bool read_all(std::string& out) {
  char buf[65536];
  for (;;) {
    const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxInput) return false;
  }
}

bool write_all(const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(STDOUT_FILENO, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Decodes the primary image, its rotation and mirroring (irot, imir: how a HEIF states its
// orientation) applied by libheif. Returns the exit status.
int decode(const std::string& bytes, std::uint64_t max_pixels) {
  heif_context* ctx = heif_context_alloc();
  if (!ctx) return 2;
  int status = 2;
  heif_image_handle* handle = nullptr;
  heif_image* img = nullptr;
  if (heif_context_read_from_memory_without_copy(ctx, bytes.data(), bytes.size(), nullptr).code ==
          heif_error_Ok &&
      heif_context_get_primary_image_handle(ctx, &handle).code == heif_error_Ok) {
    const std::uint64_t w = static_cast<std::uint64_t>(heif_image_handle_get_width(handle));
    const std::uint64_t h = static_cast<std::uint64_t>(heif_image_handle_get_height(handle));
    const bool alpha = heif_image_handle_has_alpha_channel(handle) != 0;
    if (w > 0 && h > 0 && w * h <= max_pixels &&
        heif_decode_image(handle, &img, heif_colorspace_RGB,
                          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nullptr)
                .code == heif_error_Ok) {
      int stride = 0;
      const std::uint8_t* pixels = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
      const int iw = heif_image_get_width(img, heif_channel_interleaved);
      const int ih = heif_image_get_height(img, heif_channel_interleaved);
      const int channels = alpha ? 4 : 3;
      if (pixels && iw > 0 && ih > 0 &&
          static_cast<std::uint64_t>(iw) * static_cast<std::uint64_t>(ih) <= max_pixels) {
        std::string head = "IDHF";
        put_u32(head, static_cast<std::uint32_t>(iw));
        put_u32(head, static_cast<std::uint32_t>(ih));
        put_u32(head, static_cast<std::uint32_t>(channels));
        bool ok = write_all(head.data(), head.size());
        const std::size_t row = static_cast<std::size_t>(iw) * static_cast<std::size_t>(channels);
        for (int y = 0; ok && y < ih; ++y) ok = write_all(pixels + static_cast<std::size_t>(y) * stride, row);
        status = ok ? 0 : 2;
      }
    }
  }
  if (img) heif_image_release(img);
  if (handle) heif_image_handle_release(handle);
  heif_context_free(ctx);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 64;
  if (std::strcmp(argv[1], "--check-confinement") == 0) {
    if (!confine()) return 3;
    const bool file = open("/dev/null", O_RDONLY) >= 0;
    const bool sock = socket(AF_INET, SOCK_STREAM, 0) >= 0;
    const bool run = execl("/bin/true", "true", static_cast<char*>(nullptr)) == 0;
    return file || sock || run ? 1 : 0;
  }
  char* end = nullptr;
  const unsigned long long max_pixels = std::strtoull(argv[1], &end, 10);
  if (!end || *end != '\0' || max_pixels == 0) return 64;
  std::string bytes;
  if (!read_all(bytes)) return 2;
  if (!confine()) return 3;  // never parse without the confinement
  return decode(bytes, max_pixels);
}
