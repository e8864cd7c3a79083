#include "idcard/card_report.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "idcard/card_checks.h"
#include "idcard/card_quality.h"
#include "idcard/card_template.h"

namespace idcard {
namespace {

constexpr int kCropMinWidth = 320, kCropMaxWidth = 1200;  // the card crop, px wide
constexpr int kJpegQuality = 90;

std::string jpeg(const cv::Mat& bgr) {
  std::vector<uchar> buf;
  cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, kJpegQuality});
  return std::string(buf.begin(), buf.end());
}

// The card crop at about the card's own resolution in the picture as sent.
int crop_width(const Quad& q, float scale) {
  const float top = std::hypot(q[1].x - q[0].x, q[1].y - q[0].y);
  const float bottom = std::hypot(q[2].x - q[3].x, q[2].y - q[3].y);
  return std::clamp(static_cast<int>(std::lround((top + bottom) / 2 * scale)), kCropMinWidth, kCropMaxWidth);
}

void assess(CardReport& report, const cv::Mat& img, const Quad& quad, float scale, bool front,
            std::vector<std::string> rule_codes) {
  const CardMeasures m = measure_card(img, quad, scale, front);
  std::vector<std::string> codes = image_warnings(m);
  report.quality = quality_score(m, codes);
  codes.insert(codes.end(), rule_codes.begin(), rule_codes.end());
  for (const std::string& c : codes) report.warnings.push_back({c, warning_message(c)});
  report.assessed = true;
}

void crop(CardReport& report, const cv::Mat& img, const Quad& quad, float scale, bool front,
          const ReadOptions& options) {
  if (!options.crop_card && !(front && options.crop_portrait)) return;
  const cv::Mat card = rectify_card(img, quad, crop_width(quad, scale));
  if (options.crop_card) report.card_jpeg = jpeg(card);
  if (front && options.crop_portrait) {
    using namespace card_template;
    const auto at = [](float f, int n) { return static_cast<int>(std::lround(f * static_cast<float>(n))); };
    const cv::Rect area(cv::Point(at(kPortraitLeft, card.cols), at(kPortraitTop, card.rows)),
                        cv::Point(at(kPortraitRight, card.cols), at(kPortraitBottom, card.rows)));
    report.portrait_jpeg = jpeg(card(area));
  }
}

}  // namespace

const char* warning_message(const std::string& code) {
  if (code == "border_incomplete") return "证件边框不完整，请将整张证件拍入画面";
  if (code == "occluded") return "证件有遮挡";
  if (code == "glare") return "证件有反光";
  if (code == "blurred") return "图片模糊";
  if (code == "too_small") return "证件在画面中过小";
  if (code == "too_dark") return "图片过暗";
  if (code == "overexposed") return "图片过曝";
  if (code == "copy") return "疑似复印件";
  if (code == "reshoot") return "疑似翻拍";
  if (code == "edited") return "疑似编辑过";
  if (code == "expired") return "证件已过有效期";
  if (code == "invalid_date") return "有效期限不合规";
  if (code == "number_mismatch") return "身份证号与出生日期或性别不符";
  if (code == "temporary") return "临时居民身份证";
  return "";
}

void add_reports(CardResult& card, const cv::Mat& img, float scale, const ReadOptions& options) {
  if (card.front) {
    FrontFields& f = *card.front;
    if (options.warnings) assess(f.report, img, f.card_quad, scale, true, front_rule_warnings(f));
    crop(f.report, img, f.card_quad, scale, true, options);
  }
  if (card.back) {
    BackFields& b = *card.back;
    // (the front's birth judges the back's period only when both are one holder's card)
    const std::string birth =
        card.front && same_holder(*card.front, b) ? card.front->birth.text : std::string();
    if (options.warnings)
      assess(b.report, img, b.card_quad, scale, false, back_rule_warnings(b, birth, options.today));
    crop(b.report, img, b.card_quad, scale, false, options);
  }
}

bool parse_crop_list(std::string_view list, ReadOptions& options) {
  bool card = false, portrait = false;
  for (size_t start = 0; !list.empty() && start <= list.size();) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view part = list.substr(start, comma - start);
    if (part == "card")
      card = true;
    else if (part == "portrait")
      portrait = true;
    else
      return false;
    start = comma + 1;
  }
  options.crop_card = options.crop_card || card;
  options.crop_portrait = options.crop_portrait || portrait;
  return true;
}

}  // namespace idcard
