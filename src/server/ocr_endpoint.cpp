// POST /cv/ocr/idcard: auth -> media -> rate -> quota -> (img_url fetch) -> bounded recognition pool.
#include <algorithm>
#include <future>
#include <memory>
#include <optional>

#include "idcard/card_report.h"
#include "server/errors.h"
#include "server/service_impl.h"
#include "server/upload.h"
#include "server/wechat_json.h"
#include "storage/rate_limit.h"
#include "storage/shanghai_day.h"

namespace idcard::server {
namespace {

// Reports a body's reading to the connection watch (if any), from construction to destruction.
class BodyPace {
 public:
  BodyPace(ConnectionWatch* watch, const httplib::Request& req)
      : watch_(watch), ip_(req.remote_addr), port_(req.remote_port) {
    if (watch_) watch_->body_started(ip_, port_);
  }
  ~BodyPace() {
    if (watch_) watch_->body_finished(ip_, port_);
  }
  BodyPace(const BodyPace&) = delete;
  BodyPace& operator=(const BodyPace&) = delete;
  void progress(std::size_t bytes) const {
    if (watch_) watch_->body_progress(ip_, port_, bytes);
  }

 private:
  ConnectionWatch* watch_;
  const std::string& ip_;
  int port_;
};

// Streams the body through httplib's multipart parser into the collector. The body is read
// only when the request declares one: HTTP/1.1 gives a request without Content-Length or
// Transfer-Encoding an empty body (cpp-httplib 0.11 would wait for the peer to close instead).
// While it reads, the connection watch holds the body to its minimum pace.
Upload read_upload(const httplib::Request& req, const httplib::ContentReader& reader,
                   UploadCollector& collector, httplib::Response& res, ConnectionWatch* watch) {
  if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) return collector.finish();
  const BodyPace pace(watch, req);
  bool ok = false;
  if (req.is_multipart_form_data()) {
    ok = reader(
        [&](const httplib::MultipartFormData& part) {
          collector.begin_part(part.name);
          return true;
        },
        [&](const char* data, std::size_t len) {
          pace.progress(len);
          return collector.data(std::string_view(data, len));
        });
  } else {
    ok = reader([&](const char* data, std::size_t len) {
      pace.progress(len);
      return collector.raw(std::string_view(data, len));
    });
  }
  Upload up = collector.finish();
  if (!ok && res.status == 413) up.body_too_large = true;  // Content-Length over the limit
  if (up.body_too_large) return up;
  if (!ok) {  // malformed multipart, timeout, peer gone: no usable media
    up = Upload{};
    up.malformed = true;
  }
  return up;
}

bool truthy(const std::string& v) { return v == "1" || v == "true"; }

// The report options (warnings, crop, cards): absent or empty means off; any other value than
// those documented is refused with its name (the caller asked for something this cannot give).
std::optional<std::string> parse_read_options(const httplib::Request& req, ReadOptions& options) {
  auto flag = [&req](const char* name, bool& out) -> bool {
    const std::string v = req.get_param_value(name);
    if (v.empty() || v == "0" || v == "false") return true;
    if (!truthy(v)) return false;
    out = true;
    return true;
  };
  if (!flag("warnings", options.warnings)) return std::string("invalid args: warnings must be 0 or 1");
  if (!flag("cards", options.list_cards)) return std::string("invalid args: cards must be 0 or 1");
  std::string crop = req.get_param_value("crop");
  if (!parse_crop_list(crop, options))
    return std::string("invalid args: crop must be card, portrait or card,portrait");
  return std::nullopt;
}

}  // namespace

void HttpService::Impl::handle_ocr(const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) {
  Call call = begin(req, "/cv/ocr/idcard");
  try {
    UploadCollector collector(settings.max_body_bytes, settings.max_image_bytes);
    Upload up = read_upload(req, reader, collector, res, watch.get());
    call.body_bytes = collector.body_bytes();
    if (up.malformed) {
      call.note = "malformed body";
      res.set_header("Connection", "close");  // the stream position is unknown now
    }
    if (up.body_too_large) {
      // Unread bytes may remain on the socket: this connection cannot be reused.
      res.set_header("Connection", "close");
      call.note = "body too large";
      return answer_error(call, req, res, kInvalidFileSize);
    }

    const auto auth = tokens.check(req.get_param_value("access_token"));
    if (auth.errcode != kOk) return answer_error(call, req, res, auth.errcode);
    call.appid = auth.appid;
    ReadOptions options;
    if (const auto bad = parse_read_options(req, options))
      return answer_error(call, req, res, kInvalidArgs, *bad);
    // `expired` is judged against the day in Asia/Shanghai, as the card's dates are.
    if (options.warnings) {
      std::string day = storage::shanghai_day(clock.now());
      day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
      options.today = day;
    }

    const std::string img_url = req.has_param("img_url") ? req.get_param_value("img_url") : up.img_url;
    if (!up.has_img && img_url.empty()) return answer_error(call, req, res, kMediaDataMissing);
    if (up.img_too_large) return answer_error(call, req, res, kInvalidFileSize);

    const auto app = store.find_app(auth.appid);
    if (!app) return answer_error(call, req, res, kInvalidAccessToken);
    // Rate first: a call refused for going too fast does not use the day's quota.
    if (app->rate_rps > 0) {
      const int burst = app->rate_burst > 0 ? app->rate_burst : storage::default_burst(app->rate_rps);
      if (!store.consume_rate(app->appid, clock.now_us(), storage::rate_interval_us(app->rate_rps), burst))
        return answer_error(call, req, res, kMinuteQuota);
    }
    // Quota: every authenticated call that carries media counts, whatever the recognition
    // outcome (as WeChat counts calls); a call refused for overload is given back.
    const std::string day = storage::shanghai_day(clock.now());
    if (!store.consume_quota(app->appid, day, app->daily_quota))
      return answer_error(call, req, res, kDailyQuota);

    std::string image = std::move(up.img);
    if (!up.has_img) {
      FetchResult fetched = fetcher.fetch(img_url);
      if (fetched.status == FetchResult::Status::kTooLarge) {
        call.note = fetched.reason;
        return answer_error(call, req, res, kInvalidFileSize);
      }
      if (fetched.status != FetchResult::Status::kOk) {
        call.note = fetched.reason;
        return answer_error(call, req, res, kInvalidImageUrl);
      }
      image = std::move(fetched.body);
    }

    const Recognizer engine = recognizer();
    if (!engine) {
      store.refund_quota(app->appid, day);
      return answer_error(call, req, res, kSystemError, "system error: not ready");
    }
    const ImageType type = req.get_param_value("type") == "scan" ? ImageType::kScan : ImageType::kPhoto;
    // The result travels worker -> this thread through a promise, published only after the
    // worker's slot is free again.
    struct Job {
      std::string image;
      ReadOutcome outcome;
      std::exception_ptr error;
      std::promise<void> done;
    };
    auto job = std::make_shared<Job>();
    job->image = std::move(image);
    std::future<void> finished = job->done.get_future();
    const bool admitted = pool.try_submit(
        [job, engine, type, options] {
          try {
            job->outcome = engine(job->image, type, options);
          } catch (...) {
            job->error = std::current_exception();
          }
        },
        [job] { job->done.set_value(); });
    if (!admitted) {
      store.refund_quota(app->appid, day);
      call.note = "overloaded";
      return answer_error(call, req, res, kSystemError, "system error: overloaded");
    }
    finished.wait();
    if (job->error) std::rethrow_exception(job->error);
    const ReadOutcome& outcome = job->outcome;
    switch (outcome.status) {
      case ReadStatus::kOk: {
        nlohmann::json body = to_wechat_json(outcome.card, truthy(req.get_param_value("detail")), options);
        return answer(call, req, res, body);
      }
      case ReadStatus::kNotFound:
        return answer_error(call, req, res, kCertificateNotFound);
      case ReadStatus::kInvalidImage:
        return answer_error(call, req, res, kInvalidImageData);
    }
    answer_error(call, req, res, kSystemError);
  } catch (const std::exception&) {
    // Never the exception text: it may name paths, SQL or internals.
    call.note = "internal error";
    answer_error(call, req, res, kSystemError);
  }
}

}  // namespace idcard::server
