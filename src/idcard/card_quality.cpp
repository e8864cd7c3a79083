#include "idcard/card_quality.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "idcard/card_template.h"

namespace idcard {
namespace {

// Measures are taken on the card at most this wide: sharpness then means "sharp at a size the
// text is legible at", whatever the picture's resolution.
constexpr int kMeasureWidth = 400;
// The moiré spectrum is taken at the picture's own resolution (a screen's pixel grid is a few
// pixels wide there), on a window this large from the card's middle.
constexpr int kSpectrumSide = 256, kMaxNativeWidth = 1400;
constexpr float kInset = 0.04f;  // of each side: a fitted quad's edge may hold some background

// Thresholds, set on the generator's defect and clean pictures (bench/warnings_bench.py): each
// lies between the defect's range and the clean pictures' (measured on their truth quads).
constexpr float kCutShare = 0.015f;    // a corner this far outside the picture (of the long side)
// Or a corner at the border (within this much of it) of a quad whose proportions are not a card's:
// the picture's border was taken for the card's edge where the card runs past it (cut cards
// 0.15-0.19 off; clean cards near a border 0.065 at most). A card cropped to the picture keeps
// its proportions.
constexpr float kBorderNear = 0.02f, kCutAspect = 0.1f;
constexpr float kMinLongSide = 330.f;  // px: smaller, the number's digits are under 10 px
constexpr float kMinSharpness = 0.2f;  // blurred 0.07-0.25, sharp cards 1 and up (photos' own blur 0.1-)
constexpr float kDarkLuma = 70.f;
constexpr float kBrightLuma = 246.f;   // overexposed: the whole card near white, print included
constexpr float kGlareShare = 0.015f;  // a solid white blob (glare 0.02-0.25; clean cards 0.012 at most)
constexpr float kCopyChroma = 25.f;    // 95th percentile of max-min over RGB: b/w copies under 20
constexpr float kMoirePeak = 105.f;    // screens 110 and up, cards (scans too) under 100
constexpr float kSkinShare = 0.015f;

float edge(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// The area a measure looks at: the card less an inset, less the portrait on a front (a face is
// skin-toned, its background light) or the emblem on a back (red and gold).
cv::Mat measure_mask(cv::Size size, bool front) {
  cv::Mat mask(size, CV_8U, cv::Scalar(0));
  const int w = size.width, h = size.height;
  auto rect = [w, h](float l, float t, float r, float b) {
    return cv::Rect(cv::Point(static_cast<int>(l * w), static_cast<int>(t * h)),
                    cv::Point(static_cast<int>(r * w), static_cast<int>(b * h)));
  };
  mask(rect(kInset, kInset, 1 - kInset, 1 - kInset)).setTo(255);
  using namespace card_template;
  if (front)
    mask(rect(kPortraitLeft, kPortraitTop, kPortraitRight, kPortraitBottom)).setTo(0);
  else
    mask(rect(0, 0, 0.30f, 0.55f)).setTo(0);
  return mask;
}

// The strongest isolated peak of a window's spectrum away from the lowest frequencies (text and
// shading live there), over the spectrum's median: a screen's grid or its moiré is periodic.
float spectrum_peak(const cv::Mat& channel) {
  cv::Mat f;
  channel.convertTo(f, CV_32F);
  f -= cv::mean(f)[0];
  cv::Mat window;
  cv::createHanningWindow(window, f.size(), CV_32F);
  f = f.mul(window);
  cv::Mat planes[] = {f, cv::Mat::zeros(f.size(), CV_32F)}, complex;
  cv::merge(planes, 2, complex);
  cv::dft(complex, complex);
  cv::split(complex, planes);
  cv::Mat mag;
  cv::magnitude(planes[0], planes[1], mag);
  const int n = mag.rows, m = mag.cols;
  // JPEG's 8-px blocks are periodic too: their frequencies (k/8) are left out.
  auto on_grid = [](float freq, int size) {
    return std::fabs(freq * 8 - std::round(freq * 8)) * static_cast<float>(size) / 8 <= 1.5f;
  };
  std::vector<float> band;
  float peak = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < m / 2; ++x) {  // a real signal's spectrum is symmetric
      const float fy = static_cast<float>(std::min(y, n - y)) / static_cast<float>(n);
      const float fx = static_cast<float>(x) / static_cast<float>(m);
      const float r = std::hypot(fx, fy);
      if (r < 0.12f || on_grid(fx, m) || on_grid(fy, n)) continue;
      const float v = mag.at<float>(y, x);
      band.push_back(v);
      peak = std::max(peak, v);
    }
  if (band.empty()) return 0;
  std::nth_element(band.begin(), band.begin() + static_cast<long>(band.size() / 2), band.end());
  const float median = band[band.size() / 2];
  return median > 0 ? peak / median : 0;
}

float masked_share(const cv::Mat& hit, const cv::Mat& mask) {
  const double area = cv::countNonZero(mask);
  return area > 0 ? static_cast<float>(cv::countNonZero(hit & mask) / area) : 0.f;
}

}  // namespace

cv::Mat rectify_card(const cv::Mat& bgr, const Quad& quad, int width, const cv::Rect& window) {
  const int height = std::max(1, static_cast<int>(std::lround(width * card_template::kAspect)));
  const cv::Rect area = window.empty() ? cv::Rect(0, 0, width, height) : window;
  const cv::Point2f src[4] = {
      {quad[0].x, quad[0].y}, {quad[1].x, quad[1].y}, {quad[2].x, quad[2].y}, {quad[3].x, quad[3].y}};
  const float x0 = static_cast<float>(-area.x), y0 = static_cast<float>(-area.y);
  const float x1 = x0 + static_cast<float>(width), y1 = y0 + static_cast<float>(height);
  const cv::Point2f dst[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
  cv::Mat out;
  cv::warpPerspective(bgr, out, cv::getPerspectiveTransform(src, dst), area.size(), cv::INTER_AREA,
                      cv::BORDER_REPLICATE);
  return out;
}

CardMeasures measure_card(const cv::Mat& bgr, const Quad& quad, float scale, bool front) {
  CardMeasures m;
  const float top = edge(quad[0], quad[1]), bottom = edge(quad[3], quad[2]);
  m.long_side_px = std::max(top, bottom) * scale;
  const float long_side = std::max(top, bottom);
  for (const Point& p : quad) {
    const float out =
        std::max({-p.x, -p.y, p.x - static_cast<float>(bgr.cols), p.y - static_cast<float>(bgr.rows)});
    m.outside = std::max(m.outside, long_side > 0 ? out / long_side : 0.f);
    m.border_gap = std::min(m.border_gap, long_side > 0 ? std::max(0.f, -out) / long_side : 1.f);
  }
  const float across = edge(quad[0], quad[3]) + edge(quad[1], quad[2]);
  if (top + bottom > 0) m.aspect_error = std::fabs(across / (top + bottom) / card_template::kAspect - 1.f);
  const float native = (top + bottom) / 2;
  const int width = std::clamp(static_cast<int>(native), 64, kMeasureWidth);
  const cv::Mat card = rectify_card(bgr, quad, width);
  const cv::Mat mask = measure_mask(card.size(), front);
  cv::Mat inset(card.size(), CV_8U, cv::Scalar(0));
  inset(cv::Rect(cv::Point(static_cast<int>(kInset * card.cols), static_cast<int>(kInset * card.rows)),
                 cv::Point(static_cast<int>((1 - kInset) * card.cols),
                           static_cast<int>((1 - kInset) * card.rows))))
      .setTo(255);
  cv::Mat grey, ycrcb;
  cv::cvtColor(card, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(card, ycrcb, cv::COLOR_BGR2YCrCb);

  cv::Mat lap;
  cv::Laplacian(grey, lap, CV_32F);
  cv::Scalar lap_mean, lap_sd, grey_mean, grey_sd;
  cv::meanStdDev(lap, lap_mean, lap_sd, mask);
  cv::meanStdDev(grey, grey_mean, grey_sd, mask);
  m.sharpness = static_cast<float>(lap_sd[0] * lap_sd[0] / (grey_sd[0] * grey_sd[0] + 1.0));
  m.mean_luma = static_cast<float>(grey_mean[0]);

  // Colour: how far from grey the card's most coloured print is (emblem, portrait, labels), on its
  // lit pixels (in the dark, noise alone is far from grey).
  std::vector<uchar> chroma;
  for (int y = 0; y < card.rows; ++y)
    for (int x = 0; x < card.cols; ++x) {
      const cv::Vec3b p = card.at<cv::Vec3b>(y, x);
      const uchar hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
      if (inset.at<uchar>(y, x) && hi > 80) chroma.push_back(static_cast<uchar>(hi - lo));
    }
  if (chroma.size() > 50) {
    const auto at = chroma.begin() + static_cast<long>(chroma.size() * 95 / 100);
    std::nth_element(chroma.begin(), at, chroma.end());
    m.chroma = *at;
  }
  // Glare: a solid white blob (no print left inside it), its share of the measured area. A card's
  // light background clipped by a bright exposure is white too, but its print shows through.
  // Clipped: 253 and over once a 3x3 median has taken the noise out (a light card's background,
  // under 253, then stays apart from a glare spot on it).
  cv::Mat smooth;
  cv::medianBlur(grey, smooth, 3);
  cv::Mat white = (smooth >= 253) & mask;
  cv::morphologyEx(white, white, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
  std::vector<std::vector<cv::Point>> blobs;
  cv::findContours(white.clone(), blobs, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  double solid = 0;
  for (size_t i = 0; i < blobs.size(); ++i) {
    cv::Mat filled(white.size(), CV_8U, cv::Scalar(0));
    cv::drawContours(filled, blobs, static_cast<int>(i), cv::Scalar(255), cv::FILLED);
    const double outline_area = cv::countNonZero(filled), white_area = cv::countNonZero(filled & white);
    if (outline_area > 0 && white_area / outline_area > 0.95) solid = std::max(solid, white_area);
  }
  const double area = cv::countNonZero(mask);
  m.glare_share = area > 0 ? static_cast<float>(solid / area) : 0.f;
  // Skin: the YCrCb box skin of any complexion falls in, and not dark.
  std::vector<cv::Mat> yc;
  cv::split(ycrcb, yc);
  cv::Mat skin = (yc[0] > 60) & (yc[1] >= 138) & (yc[1] <= 175) & (yc[2] >= 80) & (yc[2] <= 125);
  cv::morphologyEx(skin, skin, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
  m.skin_share = masked_share(skin, mask);

  // Moiré: a window from the card's middle at its own resolution (only the window is warped), in
  // chroma only: a screen's subpixels are coloured, while print's rhythm (strokes, rows) is grey.
  const int native_width = std::clamp(static_cast<int>(native), 64, kMaxNativeWidth);
  const int native_height = static_cast<int>(std::lround(native_width * card_template::kAspect));
  const int side = std::min({kSpectrumSide, native_width / 2, native_height / 2});
  if (side >= 64) {  // smaller, a spectrum's median is too noisy to stand out from
    const cv::Rect win((native_width - side) / 2, (native_height - side) / 2, side, side);
    const cv::Mat window = rectify_card(bgr, quad, native_width, win);
    cv::Mat yccc;
    cv::cvtColor(window, yccc, cv::COLOR_BGR2YCrCb);
    std::vector<cv::Mat> c;
    cv::split(yccc, c);
    m.moire = std::max(spectrum_peak(c[1]), spectrum_peak(c[2]));
  }
  return m;
}

std::vector<std::string> image_warnings(const CardMeasures& m) {
  std::vector<std::string> out;
  if (m.outside > kCutShare || (m.border_gap < kBorderNear && m.aspect_error > kCutAspect))
    out.push_back("border_incomplete");
  if (m.skin_share > kSkinShare) out.push_back("occluded");
  const bool overexposed = m.mean_luma > kBrightLuma;
  const bool too_dark = m.mean_luma < kDarkLuma;
  if (!overexposed && m.glare_share > kGlareShare) out.push_back("glare");
  if (m.sharpness < kMinSharpness) out.push_back("blurred");
  if (m.long_side_px < kMinLongSide) out.push_back("too_small");
  if (too_dark) out.push_back("too_dark");
  if (overexposed) out.push_back("overexposed");
  // Colour cannot be told in the dark or the blown-out.
  if (!too_dark && !overexposed && m.chroma < kCopyChroma) out.push_back("copy");
  if (m.moire > kMoirePeak) out.push_back("reshoot");
  return out;
}

int quality_score(const CardMeasures& m, const std::vector<std::string>& codes) {
  float q = 100;
  for (const std::string& c : codes) {
    if (c == "blurred")
      q -= 35;
    else if (c == "border_incomplete" || c == "occluded")
      q -= 30;
    else if (c == "too_small" || c == "too_dark" || c == "overexposed")
      q -= 25;
    else if (c == "glare")
      q -= 20;
  }
  // Short of blurred, a softer picture scores less (up to 15).
  q -= 15.f * (1.f - std::clamp(m.sharpness / (3 * kMinSharpness), 0.f, 1.f));
  return std::clamp(static_cast<int>(std::lround(q)), 0, 100);
}

}  // namespace idcard
