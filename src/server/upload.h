#pragma once
// Collects the form fields the OCR call reads (`img`, or `file` as WxJava names it, and `img_url`) from
// cpp-httplib's streaming multipart callbacks: other parts are dropped as they stream by, wanted ones are
// capped, so a large or hostile body never sits in memory whole.
#include <cstddef>
#include <string>
#include <string_view>

namespace idcard::server {

struct Upload {
  bool body_too_large = false;  // the whole body passed the limit
  bool malformed = false;       // the body could not be read or parsed
  bool has_img = false;
  bool img_too_large = false;
  std::string img;
  std::string img_url;  // from a form field (the query string is checked separately)
};

class UploadCollector {
 public:
  UploadCollector(std::size_t max_body_bytes, std::size_t max_image_bytes)
      : max_body_(max_body_bytes), max_image_(max_image_bytes) {}

  // A new part begins (multipart header callback).
  void begin_part(const std::string& name);
  // Bytes of the current part; false once the body is far past the limit (stop reading).
  bool data(std::string_view chunk);
  // Raw (non-multipart) body bytes: counted against the limit, otherwise ignored.
  bool raw(std::string_view chunk);

  std::size_t body_bytes() const { return body_bytes_; }
  Upload finish();

 private:
  enum class Part { kOther, kImg, kImgUrl, kDuplicate };
  std::size_t max_body_, max_image_;
  std::size_t body_bytes_ = 0;
  Part part_ = Part::kOther;
  bool seen_img_ = false, seen_file_ = false, seen_url_ = false;
  Upload up_;
};

}  // namespace idcard::server
