#include "server/upload.h"

#include <algorithm>

namespace idcard::server {

namespace {
constexpr std::size_t kMaxUrlBytes = 8 * 1024;
constexpr std::size_t kDrainFactor = 4;
}

void UploadCollector::begin_part(const std::string& name) {
  // The first field of each name wins; later duplicates are ignored, not concatenated.
  if (name == "img") {
    part_ = seen_img_ ? Part::kDuplicate : Part::kImg;
    if (!seen_img_ && seen_file_) {  // `img` outranks a `file` that came before it
      up_.img.clear();
      up_.img_too_large = false;
    }
    seen_img_ = true;
  } else if (name == "file") {
    // WxJava uploads the image as `file`; it stands in for `img` only while there is none, in
    // the same buffer and under the same cap, so a body never holds two images.
    part_ = seen_img_ || seen_file_ ? Part::kDuplicate : Part::kImg;
    seen_file_ = true;
  } else if (name == "img_url") {
    part_ = seen_url_ ? Part::kDuplicate : Part::kImgUrl;
    seen_url_ = true;
  } else {
    part_ = Part::kOther;
  }
}

bool UploadCollector::raw(std::string_view chunk) {
  body_bytes_ += chunk.size();
  if (body_bytes_ > max_body_) up_.body_too_large = true;  // chunked bodies have no Content-Length
  // Past the limit the rest is read and dropped, so the keep-alive connection stays in sync
  // (cpp-httplib 0.11 cannot close it from a handler); a body far past it is cut off.
  return body_bytes_ <= max_body_ * kDrainFactor;
}

bool UploadCollector::data(std::string_view chunk) {
  if (!raw(chunk)) return false;
  if (up_.body_too_large) return true;
  std::string* field = part_ == Part::kImg ? &up_.img : part_ == Part::kImgUrl ? &up_.img_url : nullptr;
  if (!field) return true;
  const std::size_t cap = part_ == Part::kImg ? max_image_ : kMaxUrlBytes;
  const std::size_t room = cap - std::min(cap, field->size());
  if (chunk.size() > room) {
    if (part_ == Part::kImg) up_.img_too_large = true;
    else up_.img_url.clear(), part_ = Part::kDuplicate;  // an over-long URL is no URL
  }
  field->append(chunk.substr(0, std::min(room, chunk.size())));
  return true;
}

Upload UploadCollector::finish() {
  up_.has_img = !up_.img.empty() || up_.img_too_large;
  if (up_.img_too_large) up_.img.clear();
  return std::move(up_);
}

}  // namespace idcard::server
