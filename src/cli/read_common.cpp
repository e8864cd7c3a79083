#include "cli/read_common.h"

#include <fstream>
#include <iterator>

#include "server/wechat_json.h"

namespace idcard::cli {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

ImageType parse_image_type(const std::string& type) {
  return type == "scan" ? ImageType::kScan : ImageType::kPhoto;
}

nlohmann::json wechat_response(const CardReader& reader, const std::string& bytes, ImageType type,
                               bool detail, ReadTimings* timings) {
  const ReadOutcome outcome = reader.read(bytes, type);
  if (timings) *timings = outcome.timings;
  switch (outcome.status) {
    case ReadStatus::kOk:
      return to_wechat_json(outcome.card, detail);
    case ReadStatus::kNotFound:
      return wechat_error(101001, "certificate not found");
    case ReadStatus::kInvalidImage:
      return wechat_error(101002, "invalid image data");
  }
  return wechat_error(-1, "system error");
}

}  // namespace idcard::cli
