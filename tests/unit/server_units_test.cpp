#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <sstream>
#include <thread>

#include "server/connection_threads.h"
#include "server/errors.h"
#include "server/json_log.h"
#include "server/metrics.h"
#include "server/ocr_pool.h"
#include "server/upload.h"

namespace idcard::server {
namespace {

TEST(Masking, HidesPersonalDataAndCredentials) {
  EXPECT_EQ(mask_sensitive("id 410423197912047122 ok"), "id *** ok");
  EXPECT_EQ(mask_sensitive("id 41042319791204712X"), "id ***");
  EXPECT_EQ(mask_sensitive("old id 410423791204712"), "old id ***");
  EXPECT_EQ(mask_sensitive("name 姚秋霞, addr 河南省平顶山市"), "name ***, addr ***");
  EXPECT_EQ(mask_sensitive("token=9mBlWeH_intknnT9dQR3EGxX-UxRIy12V6fN8jATQWXDOrwEIguvLb9FUCLSHDeI&x"),
            "token=***&x");
  EXPECT_EQ(mask_sensitive("secret 9210b8722f4aec44b83d80576b2cfbe4"), "secret ***");
  // What logs legitimately carry stays readable.
  EXPECT_EQ(mask_sensitive("wx0a34d1695e35dd12"), "wx0a34d1695e35dd12");
  EXPECT_EQ(mask_sensitive("8feb7171-0000000a /cv/ocr/idcard 200"), "8feb7171-0000000a /cv/ocr/idcard 200");
}

TEST(Masking, LoggerMasksEveryStringValue) {
  std::ostringstream out;
  JsonLogger log(out);
  log.info("request", {{"note", "张三 110101199003077777"}, {"nested", {{"t", std::string(40, 'a')}}}, {"n", 5}});
  const auto line = nlohmann::json::parse(out.str());
  EXPECT_EQ(line["event"], "request");
  EXPECT_EQ(line["note"], "*** ***");
  EXPECT_EQ(line["nested"]["t"], "***");
  EXPECT_EQ(line["n"], 5);
  EXPECT_EQ(out.str().find("张三"), std::string::npos);
}

TEST(LogThrottle, OneLinePerIntervalPerKindWithTheCountHeldBack) {
  using std::chrono::seconds;
  LogThrottle throttle(seconds(10));
  const LogThrottle::TimePoint t0{};
  long long held = -1;
  EXPECT_TRUE(throttle.admit("storage error", t0, held));
  EXPECT_EQ(held, 0);
  for (int i = 1; i <= 5; ++i) EXPECT_FALSE(throttle.admit("storage error", t0 + seconds(i), held));
  EXPECT_TRUE(throttle.admit("internal error", t0 + seconds(5), held)) << "kinds are throttled apart";
  EXPECT_TRUE(throttle.admit("storage error", t0 + seconds(10), held));
  EXPECT_EQ(held, 5);
  EXPECT_FALSE(throttle.admit("storage error", t0 + seconds(11), held));
  EXPECT_EQ(throttle.take_held(), (std::map<std::string, long long>{{"storage error", 1}}));
  EXPECT_TRUE(throttle.take_held().empty()) << "reported once";
}

TEST(Errors, WeChatShapeWithRid) {
  const auto j = error_body(kAccessTokenExpired, "abc-1");
  EXPECT_EQ(j["errcode"], 42001);
  EXPECT_EQ(j["errmsg"], "access_token expired rid: abc-1");
  EXPECT_EQ(error_body(kSystemError, "r", "system error: overloaded")["errmsg"], "system error: overloaded rid: r");
}

TEST(Upload, KeepsWantedFieldsWithinCaps) {
  UploadCollector c(100, 10);
  c.begin_part("other");
  EXPECT_TRUE(c.data("zzzzzzzz"));
  c.begin_part("img");
  EXPECT_TRUE(c.data("0123"));
  EXPECT_TRUE(c.data("4567"));
  c.begin_part("img_url");
  EXPECT_TRUE(c.data("http://x/"));
  c.begin_part("img");  // duplicate: ignored
  EXPECT_TRUE(c.data("dup"));
  const Upload up = c.finish();
  EXPECT_TRUE(up.has_img);
  EXPECT_FALSE(up.img_too_large);
  EXPECT_EQ(up.img, "01234567");
  EXPECT_EQ(up.img_url, "http://x/");
  EXPECT_FALSE(up.body_too_large);
}

TEST(Upload, FlagsOversizedImageAndBody) {
  UploadCollector c(100, 10);
  c.begin_part("img");
  EXPECT_TRUE(c.data(std::string(11, 'x')));
  Upload up = c.finish();
  EXPECT_TRUE(up.has_img);
  EXPECT_TRUE(up.img_too_large);
  EXPECT_TRUE(up.img.empty());

  UploadCollector body(100, 1000);
  body.begin_part("img");
  EXPECT_TRUE(body.data(std::string(150, 'x'))) << "past the limit the body is still drained";
  EXPECT_FALSE(body.data(std::string(400, 'x'))) << "far past it reading stops";
  EXPECT_TRUE(body.finish().body_too_large);
}

// WxJava names the upload `file`: it is the image when no `img` is sent, never beside one.
TEST(Upload, FileFieldStandsInForAMissingImg) {
  UploadCollector alone(100, 10);
  alone.begin_part("file");
  EXPECT_TRUE(alone.data("jpeg"));
  alone.begin_part("file");  // duplicate: ignored
  EXPECT_TRUE(alone.data("dup"));
  Upload up = alone.finish();
  EXPECT_TRUE(up.has_img);
  EXPECT_EQ(up.img, "jpeg");

  UploadCollector file_then_img(100, 10);
  file_then_img.begin_part("file");
  EXPECT_TRUE(file_then_img.data(std::string(11, 'f')));  // too large, but `img` replaces it
  file_then_img.begin_part("img");
  EXPECT_TRUE(file_then_img.data("img"));
  up = file_then_img.finish();
  EXPECT_FALSE(up.img_too_large);
  EXPECT_EQ(up.img, "img");

  UploadCollector img_then_file(100, 10);
  img_then_file.begin_part("img");
  EXPECT_TRUE(img_then_file.data("img"));
  img_then_file.begin_part("file");
  EXPECT_TRUE(img_then_file.data("file"));
  EXPECT_EQ(img_then_file.finish().img, "img");

  UploadCollector big(100, 10);
  big.begin_part("file");
  EXPECT_TRUE(big.data(std::string(11, 'f')));
  up = big.finish();
  EXPECT_TRUE(up.has_img);
  EXPECT_TRUE(up.img_too_large) << "the same cap as img";
}

// Connections that block (a slow client) each get a thread of their own, up to the cap; beyond
// it they wait for one, and all are served once threads come free.
TEST(ConnectionThreads, EachBlockedConnectionGetsAThreadUpToTheCap) {
  std::mutex mu;
  std::condition_variable cv;
  int running = 0, done = 0;
  bool release = false;
  const auto blocked = [&] {
    std::unique_lock lock(mu);
    ++running;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    ++done;
  };
  ConnectionThreads threads(2, 5);
  EXPECT_EQ(threads.threads(), 2u);
  for (int i = 0; i < 7; ++i) threads.enqueue(blocked);
  {
    std::unique_lock lock(mu);
    // A hang guard, not a timing check: five run at once long before it.
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return running == 5; }));
  }
  EXPECT_EQ(threads.threads(), 5u);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(running, 5) << "the sixth and seventh wait for a thread";
    release = true;
  }
  cv.notify_all();
  threads.shutdown();  // serves what is queued, then joins
  EXPECT_EQ(done, 7);
  EXPECT_EQ(threads.threads(), 0u);
}

TEST(OcrPool, RefusesAtOnceWhenQueueIsFull) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> ran{0};
  {
    OcrPool pool(1, 2);
    auto blocker = [&] {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return release; });
      ++ran;
    };
    ASSERT_TRUE(pool.try_submit(blocker));
    // Wait until the worker holds the first job, so the next two are "waiting".
    for (int i = 0; i < 200 && pool.busy() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(pool.busy(), 1);
    EXPECT_TRUE(pool.try_submit(blocker));
    EXPECT_TRUE(pool.try_submit(blocker));
    EXPECT_FALSE(pool.try_submit(blocker));  // at once: the worker is held until after this line
    EXPECT_EQ(pool.queue_depth(), 2);
    {
      std::lock_guard lock(mu);
      release = true;
    }
    cv.notify_all();
  }  // destructor drains
  EXPECT_EQ(ran.load(), 3);
}

TEST(Metrics, PrometheusText) {
  Metrics m;
  m.observe("/cv/ocr/idcard", 0, 0.2);
  m.observe("/cv/ocr/idcard", 45009, 0.001);
  const std::string text = m.render(3, 16, 2);
  EXPECT_NE(text.find("idcard_requests_total{route=\"/cv/ocr/idcard\",errcode=\"45009\"} 1"), std::string::npos);
  EXPECT_NE(text.find("idcard_request_duration_seconds_bucket{route=\"/cv/ocr/idcard\",le=\"0.25\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("idcard_request_duration_seconds_count{route=\"/cv/ocr/idcard\"} 2"), std::string::npos);
  EXPECT_NE(text.find("idcard_ocr_queue_depth 3"), std::string::npos);
}

}  // namespace
}  // namespace idcard::server
