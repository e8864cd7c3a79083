#include "idcard/text_lines.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "idcard/field_text.h"

namespace idcard {
namespace {

constexpr float kPi = 3.14159265358979f;
float rad(float deg) { return deg * kPi / 180.f; }

struct OrientedBox {
  cv::Point2f center;
  float length, thickness, angle;  // angle of the reading direction, degrees
};

// Among the four ways to read a rectangle, the one whose direction is closest to angle_deg.
OrientedBox orient(const cv::RotatedRect& r, float angle_deg) {
  OrientedBox best{r.center, r.size.width, r.size.height, r.angle};
  float best_d = 1e9f;
  for (int k = 0; k < 4; ++k) {
    const float a = r.angle + 90.f * k;
    const float d = std::fabs(angle_diff(a, angle_deg));
    if (d < best_d) {
      best_d = d;
      const bool swap = k % 2 == 1;
      best = {r.center, swap ? r.size.height : r.size.width, swap ? r.size.width : r.size.height, a};
    }
  }
  return best;
}

std::array<cv::Point2f, 4> corners(const OrientedBox& b, float from = 0, float to = 1) {
  const cv::Point2f u(std::cos(rad(b.angle)), std::sin(rad(b.angle)));
  const cv::Point2f v(-u.y, u.x);  // "down" of the text, image y pointing down
  const cv::Point2f left = b.center - u * (b.length / 2);
  const cv::Point2f a = left + u * (b.length * from), c = left + u * (b.length * to);
  const cv::Point2f half = v * (b.thickness / 2);
  return {a - half, c - half, c + half, a + half};
}

bool elongated(const cv::RotatedRect& r) {
  return std::max(r.size.width, r.size.height) >= 2.5f * std::min(r.size.width, r.size.height);
}

float long_axis(const cv::RotatedRect& r) {
  float a = r.size.width >= r.size.height ? r.angle : r.angle + 90.f;
  a = std::fmod(a, 180.f);
  return a < 0 ? a + 180.f : a;
}

}  // namespace

float angle_diff(float a, float b) {
  float d = std::fmod(a - b, 360.f);
  if (d > 180) d -= 360;
  if (d < -180) d += 360;
  return d;
}

std::vector<float> reading_axes(const std::vector<ocr::TextBox>& boxes, float fallback_deg) {
  std::vector<float> axes(boxes.size(), fallback_deg);
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (elongated(boxes[i].rect)) {
      axes[i] = long_axis(boxes[i].rect);
      continue;
    }
    float best = 1e18f;
    for (size_t j = 0; j < boxes.size(); ++j) {
      if (!elongated(boxes[j].rect)) continue;
      const cv::Point2f d = boxes[i].rect.center - boxes[j].rect.center;
      const float dist = d.dot(d);
      if (dist < best) best = dist, axes[i] = long_axis(boxes[j].rect);
    }
  }
  return axes;
}

float dominant_text_angle(const std::vector<ocr::TextBox>& boxes) {
  // Axial mean: double the angles so that 10 deg and 190 deg agree.
  double sx = 0, sy = 0;
  for (const auto& b : boxes) {
    const float w = b.rect.size.width, h = b.rect.size.height;
    const float len = std::max(w, h), thick = std::min(w, h);
    if (len < 2.5f * thick) continue;  // too square to tell its direction
    const float a = w >= h ? b.rect.angle : b.rect.angle + 90.f;
    sx += len * std::cos(2 * rad(a));
    sy += len * std::sin(2 * rad(a));
  }
  if (sx == 0 && sy == 0) return 0.f;
  float a = static_cast<float>(std::atan2(sy, sx) / 2 * 180 / kPi);
  if (a < 0) a += 180;
  return a;
}

cv::Mat crop_line(const cv::Mat& image, const cv::RotatedRect& box, float angle_deg, float pad_ratio) {
  OrientedBox b = orient(box, angle_deg);
  b.length += b.thickness * pad_ratio;
  const auto c = corners(b);
  const int w = std::max(1, static_cast<int>(std::lround(b.length)));
  const int h = std::max(1, static_cast<int>(std::lround(b.thickness)));
  const cv::Point2f src[3] = {c[0], c[1], c[3]};
  const cv::Point2f dst[3] = {{0, 0}, {static_cast<float>(w), 0}, {0, static_cast<float>(h)}};
  cv::Mat out;
  cv::warpAffine(image, out, cv::getAffineTransform(src, dst), cv::Size(w, h), cv::INTER_LINEAR,
                 cv::BORDER_REPLICATE);
  return out;
}

cv::Mat crop_quad(const cv::Mat& image, const Quad& q) {
  auto dist = [](const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); };
  const int w = std::max(1, static_cast<int>(std::lround(dist(q[0], q[1]))));
  const int h = std::max(1, static_cast<int>(std::lround(dist(q[0], q[3]))));
  const cv::Point2f src[3] = {{q[0].x, q[0].y}, {q[1].x, q[1].y}, {q[3].x, q[3].y}};
  const cv::Point2f dst[3] = {{0, 0}, {static_cast<float>(w), 0}, {0, static_cast<float>(h)}};
  cv::Mat out;
  cv::warpAffine(image, out, cv::getAffineTransform(src, dst), cv::Size(w, h), cv::INTER_LINEAR,
                 cv::BORDER_REPLICATE);
  return out;
}

std::vector<float> follow_neighbours_turn(const std::vector<cv::RotatedRect>& boxes,
                                          std::vector<float> flip) {
  constexpr float kSure = 0.98f, kMaxLogit = 6.f, kParallelDeg = 6.f;
  constexpr int kMinNeighbours = 2;
  auto logit = [&](float p) {
    const float q = std::clamp(p, 1e-4f, 1 - 1e-4f);
    return std::clamp(std::log(q / (1 - q)), -kMaxLogit, kMaxLogit);
  };
  auto long_axis = [](const cv::RotatedRect& r) {  // degrees, mod 180
    const float a = r.size.width >= r.size.height ? r.angle : r.angle + 90.f;
    return std::fmod(std::fmod(a, 180.f) + 180.f, 180.f);
  };
  auto length = [](const cv::RotatedRect& r) { return std::max(r.size.width, r.size.height); };
  const std::vector<float> own = flip;
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (own[i] <= 1 - kSure || own[i] >= kSure) continue;
    float evidence = 0;
    int up = 0, down = 0;
    for (size_t j = 0; j < boxes.size(); ++j) {
      if (j == i || (own[j] > 1 - kSure && own[j] < kSure)) continue;  // sure neighbours only
      const float turn = std::fabs(angle_diff(long_axis(boxes[i]), long_axis(boxes[j])));
      if (std::min(turn, 180.f - turn) > kParallelDeg) continue;
      const cv::Point2f d = boxes[i].center - boxes[j].center;
      if (std::hypot(d.x, d.y) > std::max(length(boxes[i]), length(boxes[j]))) continue;
      evidence += logit(own[j]);
      (own[j] >= kSure ? down : up) += 1;
    }
    const float mine = logit(own[i]);
    // Many sure neighbours one way, and together surer than the line is the other way.
    if (mine > 0 && up >= kMinNeighbours && down == 0 && -evidence > 2 * mine) flip[i] = 1 - own[i];
    if (mine < 0 && down >= kMinNeighbours && up == 0 && evidence > -2 * mine) flip[i] = 1 - own[i];
  }
  return flip;
}

TextLine make_line(const ocr::TextBox& box, float angle_deg) {
  TextLine line;
  line.box = box.rect;
  line.angle_deg = orient(box.rect, angle_deg).angle;
  place_in_frame(line, angle_deg);
  return line;
}

void place_in_frame(TextLine& line, float frame_angle_deg) {
  const float c = std::cos(rad(-frame_angle_deg)), s = std::sin(rad(-frame_angle_deg));
  line.frame_angle_deg = frame_angle_deg;
  cv::Point2f pts[4];
  line.box.points(pts);
  line.x0 = line.y0 = 1e9f;
  line.x1 = line.y1 = -1e9f;
  for (const auto& p : pts) {
    const float x = c * p.x - s * p.y, y = s * p.x + c * p.y;
    line.x0 = std::min(line.x0, x), line.x1 = std::max(line.x1, x);
    line.y0 = std::min(line.y0, y), line.y1 = std::max(line.y1, y);
  }
}

TextLine join_row(const std::vector<TextLine>& parts) {
  TextLine row;
  if (parts.empty()) return row;
  const float angle = parts.front().frame_angle_deg;
  float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
  for (const TextLine& p : parts) {
    x0 = std::min(x0, p.x0), x1 = std::max(x1, p.x1), y0 = std::min(y0, p.y0), y1 = std::max(y1, p.y1);
  }
  const float width = std::max(x1 - x0, 1.f);
  float conf = 0;
  for (const TextLine& p : parts) {
    row.text += p.text;
    for (size_t k = 0; k < p.char_x.size(); ++k) {
      row.char_x.push_back((p.x0 + p.char_x[k] * p.width() - x0) / width);
      row.char_confidence.push_back(k < p.char_confidence.size() ? p.char_confidence[k] : p.confidence);
      row.char_alts.push_back(k < p.char_alts.size() ? p.char_alts[k] : std::vector<ocr::CharChoice>{});
      row.char_step.push_back(0);
      conf += row.char_confidence.back();
    }
  }
  row.confidence = row.char_confidence.empty() ? 0.f : conf / static_cast<float>(row.char_confidence.size());
  // The frame is the image turned by -angle about its origin: its centre goes back by +angle.
  const float c = std::cos(rad(angle)), s = std::sin(rad(angle));
  const float fx = (x0 + x1) / 2, fy = (y0 + y1) / 2;
  row.box = cv::RotatedRect(cv::Point2f(c * fx - s * fy, s * fx + c * fy), cv::Size2f(width, y1 - y0), angle);
  row.angle_deg = angle;
  place_in_frame(row, angle);
  return row;
}

Quad TextLine::quad_between(float from, float to) const {
  const auto c = corners(orient(box, angle_deg), from, to);
  return {Point{c[0].x, c[0].y}, Point{c[1].x, c[1].y}, Point{c[2].x, c[2].y}, Point{c[3].x, c[3].y}};
}

std::optional<std::pair<size_t, size_t>> TextLine::find_chars(std::string_view chars) const {
  const auto have = utf8_chars(text), want = utf8_chars(chars);
  if (want.empty() || char_x.size() != have.size()) return std::nullopt;
  const auto at = std::search(have.begin(), have.end(), want.begin(), want.end());
  if (at == have.end()) return std::nullopt;
  const size_t from = static_cast<size_t>(at - have.begin());
  return std::pair{from, from + want.size() - 1};
}

}  // namespace idcard
