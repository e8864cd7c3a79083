#include "idcard/card_outline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "idcard/card_template.h"

namespace idcard {
namespace {

constexpr int kSamples = 48;         // contrast profiles across each edge
constexpr float kWorkWidth = 560.f;  // the card's width in the working image, at most
constexpr float kBand = 0.2f;        // search band each side of the estimate, of min(w, h)
constexpr float kWideBand = 0.3f;    // the last try's, where anchors hold the choice
constexpr int kPeaksPerProfile = 5;  // candidate edge points per profile
constexpr int kSeedsPerProfile = 4;  // of them, those lines are drawn through
// A candidate step stands out of its profile: above kAboveTypical times the profile's median step
// and above a least contrast (0..255, the colour difference's length). A dim or blurred card's edge
// can be a step of 2-8 levels; the line through it, not each point, must tell it from noise, and
// the anchors must hold the card it makes (kFaintContrast). Without anchors a card's outline rests
// on its edges' strength alone: a faint line beside a row of text (a stamp's frame, the digits'
// foot) could pass for an edge, so only clear steps count (kClearContrast).
constexpr float kFaintContrast = 1.f, kClearContrast = 5.f, kAboveTypical = 1.2f;
constexpr float kInlierPx = 1.6f;      // working pixels from a line
constexpr float kMinCoverage = 0.55f;  // profiles that see the edge, of those inside the frame
constexpr float kMaxTiltDeg = 20.f;    // an edge's turn from the estimate's (keystone, error)
constexpr size_t kLinesPerEdge = 6;    // candidate lines kept per edge
// A card's anchor off its place in the template by this much (fraction of the card's width) costs
// as much as a weak edge: layouts vary by printer by about half of it.
constexpr float kAnchorTolerance = 0.01f;
// A card's edge is a step: a step changing less than this share of its contrast across the few
// pixels at its centre (a ramp of light, a soft shadow) counts for less, down to kMinSharpFactor.
constexpr float kStepSharpness = 0.5f, kMinSharpFactor = 0.25f;
// A card's edge ends at its corners; a table's rule, a paper's edge or a shadow runs on past them.
// An edge whose step goes on beyond a corner with kRunOnFrom of its own contrast costs, up to
// kRunOnCost (in units of an edge's relative strength) from kRunOnFull on.
constexpr float kRunOnFrom = 0.35f, kRunOnFull = 0.75f, kRunOnCost = 1.5f;
// An edge that does not show is placed from the other three only on a card at least this wide in
// the picture (pixels): on a smaller one their directions are known too roughly to carry the fourth
// edge's corners (hard photos' cards, 400-520 px wide, came out 2-4 % off and lost values).
constexpr float kMinWidthToPlaceAnEdge = 560.f;

struct EdgePoint {
  cv::Point2f at;
  float strength = 0;
  int sample = 0;
  int rank = 0;  // 0: the profile's strongest step
  // Which way the colour changes going out (unit; outside minus inside): a card and its background
  // may be alike in lightness and differ in hue only, so the side is told by colour, not luminance.
  cv::Vec3f outward_change;
};

struct EdgeLine {
  cv::Point2f point, dir;  // dir: unit, along the edge
  float score = 0;
};

// Bilinear colour at p, the border replicated outside the image.
cv::Vec3f colour_at(const cv::Mat& img, cv::Point2f p) {
  const float px = std::clamp(p.x, 0.f, static_cast<float>(img.cols - 1) - 1e-3f);
  const float py = std::clamp(p.y, 0.f, static_cast<float>(img.rows - 1) - 1e-3f);
  const int x = static_cast<int>(px), y = static_cast<int>(py);
  const int x1 = std::min(x + 1, img.cols - 1), y1 = std::min(y + 1, img.rows - 1);
  const float fx = px - static_cast<float>(x), fy = py - static_cast<float>(y);
  const cv::Vec3f a = img.at<cv::Vec3f>(y, x), b = img.at<cv::Vec3f>(y, x1), c = img.at<cv::Vec3f>(y1, x),
                  d = img.at<cv::Vec3f>(y1, x1);
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

// How far (mean, fraction of the card's width) anchors mapped onto the card lie from where the
// template prints them, one vertical shift of them all within `slack_y` (fraction of the height)
// free: printers place a row higher or lower, never at a slant (a table's rule taken for the top
// edge leaves the number's row tilted on the card).
float anchors_offset(const std::vector<cv::Point2f>& mapped, const std::vector<cv::Point2f>& printed,
                     float slack_y) {
  if (mapped.empty()) return 0;
  float mean_dy = 0;
  for (size_t k = 0; k < mapped.size(); ++k) mean_dy += mapped[k].y - printed[k].y;
  const float shift = std::clamp(mean_dy / static_cast<float>(mapped.size()), -slack_y, slack_y);
  float sum = 0;
  for (size_t k = 0; k < mapped.size(); ++k)
    sum +=
        std::hypot(mapped[k].x - printed[k].x, (mapped[k].y - printed[k].y - shift) * card_template::kAspect);
  return sum / static_cast<float>(mapped.size());
}

bool inside(const cv::Mat& img, cv::Point2f p) {
  return p.x >= 0 && p.y >= 0 && p.x <= static_cast<float>(img.cols - 1) &&
         p.y <= static_cast<float>(img.rows - 1);
}

// Candidate edge points of one profile: the strongest steps of colour along the outward normal
// `n` through `base`, between -reach and +reach. A step, not a stroke: the colour a few pixels
// out differs from the colour a few pixels in (a row of text is dark between light on both
// sides).
std::vector<EdgePoint> profile_peaks(const cv::Mat& img, cv::Point2f base, cv::Point2f t, cv::Point2f n,
                                     float reach, int side_px, int sample, float min_contrast) {
  const int half = static_cast<int>(std::ceil(reach)) + 2 * side_px + 2;
  const size_t len = static_cast<size_t>(2 * half + 1);
  std::vector<cv::Vec3f> profile(len);
  for (size_t k = 0; k < len; ++k) {
    const cv::Point2f p = base + n * static_cast<float>(static_cast<int>(k) - half);
    cv::Vec3f sum(0, 0, 0);
    for (float s : {-4.f, -2.f, 0.f, 2.f, 4.f}) sum += colour_at(img, p + t * s);  // texture, noise cancel
    profile[k] = sum / 5.f;
  }
  // Prefix sums for the mean colour of a window.
  std::vector<cv::Vec3f> prefix(len + 1, cv::Vec3f(0, 0, 0));
  for (size_t k = 0; k < len; ++k) prefix[k + 1] = prefix[k] + profile[k];
  auto mean = [&](size_t from, size_t to) {  // [from, to)
    return (prefix[to] - prefix[from]) / static_cast<float>(to - from);
  };
  const size_t w = static_cast<size_t>(side_px);
  // The step at k: the smaller of the differences between the windows next to k and between the
  // windows beyond those. A thin line (a table's rule, a stroke of text) differs from its
  // surroundings only next to it; the card differs from the background on and on.
  std::vector<float> step(len, 0.f);
  for (size_t k = 2 * w + 1; k + 2 * w + 1 < len; ++k) {
    const float near = static_cast<float>(cv::norm(mean(k + 1, k + 1 + w) - mean(k - w, k)));
    const float far = static_cast<float>(cv::norm(mean(k + 1 + w, k + 1 + 2 * w) - mean(k - 2 * w, k - w)));
    step[k] = far < 0.3f * near ? 0.5f * near : near;
  }
  std::vector<float> sorted(step.begin() + static_cast<long>(2 * w + 1),
                            step.end() - static_cast<long>(2 * w + 1));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
  const float floor = std::max(min_contrast, kAboveTypical * sorted[sorted.size() / 2]);
  std::vector<EdgePoint> peaks;
  for (size_t k = 2 * w + 2; k + 2 * w + 2 < len; ++k) {
    if (step[k] < floor || step[k] < step[k - 1] || step[k] <= step[k + 1]) continue;
    const float a = step[k - 1], b = step[k], c = step[k + 1];
    const float denom = a - 2 * b + c;
    const float off = std::fabs(denom) > 1e-6f ? std::clamp(0.5f * (a - c) / denom, -0.5f, 0.5f) : 0.f;
    const float d = static_cast<float>(static_cast<int>(k) - half) + off;
    if (std::fabs(d) > reach) continue;
    const cv::Vec3f change = mean(k + 1, k + 1 + w) - mean(k - w, k);
    // A card's edge is a step; light falling off or a soft shadow is a ramp: across a few pixels it
    // changes a fraction of what it changes across the windows.
    const float narrow = static_cast<float>(cv::norm(profile[k + 2] - profile[k - 1]));
    const float sharp = std::clamp(narrow / std::max(b, 1e-3f) / kStepSharpness, kMinSharpFactor, 1.f);
    peaks.push_back({base + n * d, b * sharp, sample, /*rank=*/0, change / std::max(1e-3, cv::norm(change))});
  }
  std::sort(peaks.begin(), peaks.end(),
            [](const EdgePoint& x, const EdgePoint& y) { return x.strength > y.strength; });
  // A thick line or a blurred step shows as a cluster of maxima (the windows meet it at several
  // offsets); only the strongest of a cluster is a candidate, so that a cluster does not take
  // every candidate's place and leave a fainter edge beside it unseeded.
  std::vector<EdgePoint> distinct;
  const float apart = std::max(2.f, 0.5f * static_cast<float>(side_px));
  for (const EdgePoint& p : peaks) {
    if (std::any_of(distinct.begin(), distinct.end(),
                    [&](const EdgePoint& q) { return cv::norm(p.at - q.at) < apart; }))
      continue;
    distinct.push_back(p);
  }
  peaks = std::move(distinct);
  if (peaks.size() > kPeaksPerProfile) peaks.resize(kPeaksPerProfile);
  for (size_t r = 0; r < peaks.size(); ++r) peaks[r].rank = static_cast<int>(r);
  return peaks;
}

float distance_to(const EdgeLine& l, cv::Point2f p) {
  const cv::Point2f d = p - l.point;
  return std::fabs(d.x * l.dir.y - d.y * l.dir.x);
}

// Per profile, the point nearest the line within kInlierPx.
std::vector<const EdgePoint*> inliers_of(const EdgeLine& l, const std::vector<EdgePoint>& points) {
  std::vector<const EdgePoint*> best(kSamples, nullptr);
  for (const EdgePoint& p : points) {
    const float dist = distance_to(l, p.at);
    if (dist > kInlierPx) continue;
    const EdgePoint*& b = best[static_cast<size_t>(p.sample)];
    if (!b || dist < distance_to(l, b->at)) b = &p;
  }
  std::vector<const EdgePoint*> out;
  for (const EdgePoint* p : best)
    if (p) out.push_back(p);
  return out;
}

// Score of a line through its inliers: their contrast, counting only the side of the majority
// (an edge is one material against another; texture flips both ways), when the inliers cover
// most of the edge and reach both of its ends. Zero when it does not qualify. The sides are told
// apart by the colour change's direction against the strongest inlier's.
float score_of(const std::vector<const EdgePoint*>& in, int valid_samples) {
  if (valid_samples < kSamples / 2 || in.empty()) return 0.f;
  const EdgePoint* strongest = *std::max_element(
      in.begin(), in.end(), [](const EdgePoint* x, const EdgePoint* y) { return x->strength < y->strength; });
  auto with_strongest = [strongest](const EdgePoint* p) {
    return p->outward_change.dot(strongest->outward_change) >= 0;
  };
  const long alike = std::count_if(in.begin(), in.end(), with_strongest);
  const bool side = 2 * alike >= static_cast<long>(in.size());
  float score = 0;
  int count = 0, first = kSamples, last = -1;
  for (const EdgePoint* p : in) {
    if (with_strongest(p) != side) continue;
    score += p->strength;
    ++count;
    first = std::min(first, p->sample), last = std::max(last, p->sample);
  }
  const bool covers = static_cast<float>(count) >= kMinCoverage * static_cast<float>(valid_samples);
  const bool spans = first < kSamples / 4 && last >= kSamples - kSamples / 4;
  return covers && spans ? score : 0.f;
}

// The straight edges near the estimate's edge a->b (outward normal n), strongest first, at most
// kLinesPerEdge of them apart from each other: rows of text, the portrait's frame, a table line or
// a shadow may run parallel to the card's edge, and only the card as a whole tells which it is.
std::vector<EdgeLine> find_edges(const cv::Mat& img, cv::Point2f a, cv::Point2f b, cv::Point2f n, float reach,
                                 int side_px, float min_contrast) {
  const cv::Point2f t = (b - a) / static_cast<float>(cv::norm(b - a));
  std::vector<EdgePoint> points;
  int valid = 0;
  // Between the rounded corners (and a little more: the estimate's corners are not exact).
  const float margin = 0.1f;
  for (int s = 0; s < kSamples; ++s) {
    const float u = margin + (1 - 2 * margin) * (static_cast<float>(s) + 0.5f) / kSamples;
    const cv::Point2f base = a + (b - a) * u;
    // An estimate's edge past the picture's border still looks inward (a keystoned card placed
    // from its text reaches past the frame where the card itself does not).
    if (!inside(img, base) && !inside(img, base - n * reach)) continue;
    ++valid;
    auto peaks = profile_peaks(img, base, t, n, reach, side_px, s, min_contrast);
    points.insert(points.end(), peaks.begin(), peaks.end());
  }
  const float max_tilt = std::cos(kMaxTiltDeg * static_cast<float>(CV_PI) / 180.f);
  std::vector<EdgeLine> hypotheses;
  // Hypotheses through pairs of strong points about half the edge apart (an edge runs its length).
  std::vector<const EdgePoint*> seeds;
  for (const EdgePoint& p : points)
    if (p.rank < kSeedsPerProfile) seeds.push_back(&p);
  for (const EdgePoint* pp : seeds) {
    const EdgePoint& p = *pp;
    if (p.sample >= kSamples / 2) continue;
    for (const EdgePoint* qq : seeds) {
      const EdgePoint& q = *qq;
      if (q.sample < p.sample + kSamples * 2 / 5 || q.sample > p.sample + kSamples * 3 / 5) continue;
      cv::Point2f d = q.at - p.at;
      const float len = static_cast<float>(cv::norm(d));
      if (len < 1) continue;
      d /= len;
      if (std::fabs(d.dot(t)) < max_tilt) continue;
      EdgeLine l{p.at, d, 0.f};
      l.score = score_of(inliers_of(l, points), valid);
      if (l.score > 0) hypotheses.push_back(l);
    }
  }
  std::sort(hypotheses.begin(), hypotheses.end(),
            [](const EdgeLine& x, const EdgeLine& y) { return x.score > y.score; });
  // Near a line kept: within 3 px of it at both ends of the edge.
  auto same = [&a, &b](const EdgeLine& x, const EdgeLine& y) {
    auto on = [](const EdgeLine& l, cv::Point2f p) { return l.point + l.dir * (p - l.point).dot(l.dir); };
    return distance_to(y, on(x, a)) < 3.f && distance_to(y, on(x, b)) < 3.f;
  };
  std::vector<EdgeLine> lines, seen;
  for (const EdgeLine& h : hypotheses) {
    if (lines.size() >= kLinesPerEdge) break;
    if (std::any_of(seen.begin(), seen.end(), [&](const EdgeLine& l) { return same(h, l); })) continue;
    seen.push_back(h);
    // Least squares through the hypothesis's inliers (all within kInlierPx: no outliers left).
    std::vector<cv::Point2f> pts;
    for (const EdgePoint* p : inliers_of(h, points)) pts.push_back(p->at);
    cv::Vec4f fit;
    cv::fitLine(pts, fit, cv::DIST_L2, 0, 0.01, 0.01);
    const EdgeLine refined{{fit[2], fit[3]}, {fit[0], fit[1]}, h.score};
    if (std::fabs(refined.dir.dot(t)) < max_tilt) continue;
    if (std::none_of(lines.begin(), lines.end(), [&](const EdgeLine& l) { return same(refined, l); }))
      lines.push_back(refined);
  }
  return lines;
}

std::optional<cv::Point2f> intersect(const EdgeLine& a, const EdgeLine& b) {
  const float cross = a.dir.x * b.dir.y - a.dir.y * b.dir.x;
  if (std::fabs(cross) < 0.2f) return std::nullopt;  // nearly parallel: not a corner
  const cv::Point2f d = b.point - a.point;
  const float s = (d.x * b.dir.y - d.y * b.dir.x) / cross;
  return a.point + a.dir * s;
}

// The contrast across a candidate edge at every working pixel along it (the colour just outside
// against just inside), from `from` to `from + len` along its direction; negative off the image.
struct AlongLine {
  float from = 0;
  std::vector<float> step;
  // The median contrast over [s0, s1] along the line (a line crossing it is one spike) and the
  // share of [s0, s1] inside the image.
  std::pair<float, float> median(float s0, float s1) const {
    const long n = static_cast<long>(step.size());
    const long a = std::clamp(static_cast<long>(s0 - from), 0L, n),
               b = std::clamp(static_cast<long>(s1 - from), 0L, n);
    std::vector<float> in;
    for (long k = a; k < b; ++k)
      if (step[static_cast<size_t>(k)] >= 0) in.push_back(step[static_cast<size_t>(k)]);
    const float span = std::max(1.f, s1 - s0);
    if (in.empty()) return {0.f, 0.f};
    std::nth_element(in.begin(), in.begin() + static_cast<long>(in.size() / 2), in.end());
    return {in[in.size() / 2], static_cast<float>(in.size()) / span};
  }
};

AlongLine contrast_along(const cv::Mat& img, const EdgeLine& l, float from, float len, int side_px) {
  const cv::Point2f n(-l.dir.y, l.dir.x);
  AlongLine out;
  out.from = from;
  out.step.resize(static_cast<size_t>(std::max(0.f, len)));
  for (size_t k = 0; k < out.step.size(); ++k) {
    const cv::Point2f p = l.point + l.dir * (from + static_cast<float>(k));
    if (!inside(img, p + n * static_cast<float>(side_px)) ||
        !inside(img, p - n * static_cast<float>(side_px))) {
      out.step[k] = -1;
      continue;
    }
    cv::Vec3f plus(0, 0, 0), minus(0, 0, 0);
    for (int j = 1; j <= side_px; ++j) {
      plus += colour_at(img, p + n * static_cast<float>(j));
      minus += colour_at(img, p - n * static_cast<float>(j));
    }
    out.step[k] = static_cast<float>(cv::norm(plus - minus)) / static_cast<float>(side_px);
  }
  return out;
}

// How much an edge from corner c0 to c1 goes on past them: its contrast beyond either corner (past
// the rounding) over its contrast between them, the larger of the two; 0 where nothing beyond is
// in the picture.
float run_on(const AlongLine& a, const EdgeLine& l, cv::Point2f c0, cv::Point2f c1) {
  const float s0 = (c0 - l.point).dot(l.dir), s1 = (c1 - l.point).dot(l.dir);
  const float lo = std::min(s0, s1), hi = std::max(s0, s1), len = hi - lo;
  const float own = a.median(lo + 0.15f * len, hi - 0.15f * len).first;
  if (own <= 0) return 0;
  float worst = 0;
  for (const auto& [b0, b1] :
       {std::pair{hi + 0.06f * len, hi + 0.3f * len}, std::pair{lo - 0.3f * len, lo - 0.06f * len}}) {
    const auto [beyond, share] = a.median(b0, b1);
    if (share >= 0.5f) worst = std::max(worst, beyond / own);
  }
  return worst;
}

bool is_convex(const std::array<cv::Point2f, 4>& q) {
  int sign = 0;
  for (size_t i = 0; i < 4; ++i) {
    const cv::Point2f a = q[(i + 1) % 4] - q[i], b = q[(i + 2) % 4] - q[(i + 1) % 4];
    const float z = a.x * b.y - a.y * b.x;
    const int s = z > 0 ? 1 : (z < 0 ? -1 : 0);
    if (s == 0 || (sign && s != sign)) return false;
    sign = s;
  }
  return true;
}

// Whether a quad can be a card seen in perspective: its mean height over mean width within
// kAspectFree of the card's, plus kAspectPerKeystone times its keystone (1 - shorter/longer of
// opposite edges). A camera that foreshortens a card also makes its near edge longer than its
// far one: cards placed by a pinhole camera (the generator's, at any tilt up to keystone 0.5)
// deviate at most ~0.6 times their keystone, within 1 % when square on. A text row, a number's
// baseline or an inner rule taken for an edge leaves an outline square on but a fifth too flat
// (a white card on a white scanner lid, whose own bottom edge does not show).
constexpr float kAspectFree = 0.06f, kAspectPerKeystone = 0.7f;
bool card_proportions(const std::array<cv::Point2f, 4>& q) {
  std::array<float, 4> side{};  // top, right, bottom, left
  for (size_t i = 0; i < 4; ++i) side[i] = static_cast<float>(cv::norm(q[(i + 1) % 4] - q[i]));
  if (std::min({side[0], side[1], side[2], side[3]}) <= 0) return false;
  const float keystone = std::max(1 - std::min(side[0], side[2]) / std::max(side[0], side[2]),
                                  1 - std::min(side[1], side[3]) / std::max(side[1], side[3]));
  const float aspect = (side[1] + side[3]) / (side[0] + side[2]);
  return std::fabs(aspect / card_template::kAspect - 1) <= kAspectFree + kAspectPerKeystone * keystone;
}

// The card in its own frame: 0..1 across, 0..1 down.
const std::array<cv::Point2f, 4> kUnitCard = {cv::Point2f(0, 0), cv::Point2f(1, 0), cv::Point2f(1, 1),
                                              cv::Point2f(0, 1)};

std::array<cv::Point2f, 4> corners_of(const Quad& q) {
  std::array<cv::Point2f, 4> c;
  for (size_t i = 0; i < 4; ++i) c[i] = {q[i].x, q[i].y};
  return c;
}

Quad quad_of(const std::array<cv::Point2f, 4>& c) {
  Quad q;
  for (size_t i = 0; i < 4; ++i) q[i] = Point{c[i].x, c[i].y};
  return q;
}

// Lines an edge that does not show may take, about the estimate's edge a->b (outward normal n):
// moved out or in by up to `reach`, turned by up to 15 degrees, each costing for how far (the
// estimate's own line first, at full score). The anchors choose among them.
std::vector<EdgeLine> unseen_edge_lines(cv::Point2f a, cv::Point2f b, cv::Point2f n, float reach) {
  const cv::Point2f t = (b - a) / static_cast<float>(cv::norm(b - a)), mid = (a + b) * 0.5f;
  std::vector<EdgeLine> lines;
  for (int step : {0, -1, 1, -2, 2, -3, 3, -4, 4})
    for (float deg : {0.f, -5.f, 5.f, -10.f, 10.f, -15.f, 15.f}) {
      const float r = deg * static_cast<float>(CV_PI) / 180.f, c = std::cos(r), s = std::sin(r);
      const float cost = 0.1f * static_cast<float>(std::abs(step)) + 0.02f * std::fabs(deg);
      lines.push_back({mid + n * (static_cast<float>(step) * reach / 4.f),
                       {t.x * c - t.y * s, t.x * s + t.y * c},
                       1.f - cost});
    }
  return lines;
}

// What fit_near does when one edge shows no line.
enum class UnseenEdge { kNoOutline, kPlacedByTheOthers };

// The outline near `estimate`: fit_card_outline's search in the bands about its edges.
std::optional<Quad> fit_near(const cv::Mat& bgr, const Quad& estimate, const std::vector<Point>& anchors,
                             float slack_y, float band = kBand, UnseenEdge unseen = UnseenEdge::kNoOutline) {
  if (bgr.empty() || bgr.channels() != 3) return std::nullopt;
  const std::array<cv::Point2f, 4> est = corners_of(estimate);
  const float width = static_cast<float>(cv::norm(est[1] - est[0]) + cv::norm(est[2] - est[3])) / 2;
  const float height = static_cast<float>(cv::norm(est[3] - est[0]) + cv::norm(est[2] - est[1])) / 2;
  if (width < 40 || height < 25) return std::nullopt;
  // The card's surroundings only, reduced so its width is at most kWorkWidth.
  const float scale = std::min(1.f, kWorkWidth / width);
  const float pad = band * std::min(width, height) * 1.5f + 8;
  cv::Rect2f area = cv::boundingRect(std::vector<cv::Point2f>(est.begin(), est.end()));
  area.x -= pad, area.y -= pad, area.width += 2 * pad, area.height += 2 * pad;
  const cv::Rect roi = cv::Rect(area) & cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (roi.width < 8 || roi.height < 8) return std::nullopt;
  cv::Mat work;
  cv::resize(bgr(roi), work, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::GaussianBlur(work, work, cv::Size(), 1.0);
  work.convertTo(work, CV_32FC3);
  auto to_work = [&](cv::Point2f p) {
    return cv::Point2f((p.x - static_cast<float>(roi.x) + 0.5f) * scale - 0.5f,
                       (p.y - static_cast<float>(roi.y) + 0.5f) * scale - 0.5f);
  };
  auto to_image = [&](cv::Point2f p) {
    return cv::Point2f((p.x + 0.5f) / scale - 0.5f + static_cast<float>(roi.x),
                       (p.y + 0.5f) / scale - 0.5f + static_cast<float>(roi.y));
  };
  std::array<cv::Point2f, 4> w;
  for (size_t i = 0; i < 4; ++i) w[i] = to_work(est[i]);
  const cv::Point2f centre = (w[0] + w[1] + w[2] + w[3]) * 0.25f;
  const float reach = band * std::min(width, height) * scale;
  // The windows compared either side of an edge: wider than a stroke of text.
  const int side_px = std::max(3, static_cast<int>(0.02f * std::min(width, height) * scale));
  std::array<std::vector<EdgeLine>, 4> edges;  // top, right, bottom, left: edge i runs corner i -> i+1
  std::optional<size_t> missing;
  for (size_t i = 0; i < 4; ++i) {
    const cv::Point2f a = w[i], b = w[(i + 1) % 4];
    const cv::Point2f t = (b - a) / static_cast<float>(cv::norm(b - a));
    cv::Point2f n(t.y, -t.x);
    if (n.dot((a + b) * 0.5f - centre) < 0) n = -n;
    edges[i] = find_edges(work, a, b, n, reach, side_px, anchors.empty() ? kClearContrast : kFaintContrast);
    if (edges[i].empty()) {
      spdlog::trace("outline: no line along edge {}", i);
      // An edge outside the picture (a card cut by the frame) is not guessed, only one that does
      // not show (white on white, under a sheet or glare).
      if (unseen != UnseenEdge::kPlacedByTheOthers || missing || !inside(work, a) || !inside(work, b))
        return std::nullopt;
      missing = i;
      edges[i] = unseen_edge_lines(a, b, n, reach);
    }
  }
  // With one edge's lines guessed, the others' three strongest only (the choices multiply).
  if (missing)
    for (size_t i = 0; i < 4; ++i)
      if (i != *missing && edges[i].size() > 3) edges[i].resize(3);
  // Each candidate's contrast along it, well past the estimate's corners either way.
  std::array<std::vector<AlongLine>, 4> along;
  std::array<std::vector<float>, 4> run_on_cost;  // by the lines picked for edges i - 1, i, i + 1
  for (size_t i = 0; i < 4; ++i) {
    run_on_cost[i].assign(edges[(i + 3) % 4].size() * edges[i].size() * edges[(i + 1) % 4].size(), -1.f);
    const float len = static_cast<float>(cv::norm(w[(i + 1) % 4] - w[i]));
    for (const EdgeLine& l : edges[i]) {
      if (missing == i) {  // a guessed line's run-on is not costed
        along[i].emplace_back();
        continue;
      }
      const float s0 = (w[i] - l.point).dot(l.dir), s1 = (w[(i + 1) % 4] - l.point).dot(l.dir);
      along[i].push_back(contrast_along(work, l, std::min(s0, s1) - 0.7f * len, 2.4f * len, side_px));
    }
  }
  // The anchors in the image: where the estimate (placed from them) puts them.
  const cv::Mat to_est = cv::getPerspectiveTransform(kUnitCard.data(), est.data());
  std::vector<cv::Point2f> anchor_img, anchor_card;
  for (const Point& p : anchors) anchor_card.emplace_back(p.x, p.y);
  if (!anchor_card.empty()) cv::perspectiveTransform(anchor_card, anchor_img, to_est);
  // Of every choice of one line per edge, the card whose edges are strongest and whose anchors
  // land where the template prints them.
  std::optional<std::array<cv::Point2f, 4>> best;
  float best_score = -1e9f;
  std::array<size_t, 4> pick{}, best_pick{};
  std::array<cv::Point2f, 4> best_at{};
  for (pick[0] = 0; pick[0] < edges[0].size(); ++pick[0])
    for (pick[1] = 0; pick[1] < edges[1].size(); ++pick[1])
      for (pick[2] = 0; pick[2] < edges[2].size(); ++pick[2])
        for (pick[3] = 0; pick[3] < edges[3].size(); ++pick[3]) {
          std::array<cv::Point2f, 4> corners, at;
          bool ok = true;
          float strength = 0;
          for (size_t i = 0; i < 4 && ok; ++i) {
            auto c = intersect(edges[(i + 3) % 4][pick[(i + 3) % 4]], edges[i][pick[i]]);
            ok = c.has_value();
            if (ok) at[i] = *c, corners[i] = to_image(*c);
            strength += edges[i][pick[i]].score / edges[i][0].score;
          }
          if (!ok || !is_convex(corners) || !card_proportions(corners)) continue;
          for (size_t i = 0; i < 4; ++i) {
            // Edge i's corners depend on its neighbours' lines only: each choice costed once.
            const size_t prev = (i + 3) % 4, next = (i + 1) % 4;
            float& cost =
                run_on_cost[i][(pick[prev] * edges[i].size() + pick[i]) * edges[next].size() + pick[next]];
            if (cost < 0 && missing == i) cost = 0;
            if (cost < 0) {
              const float r = run_on(along[i][pick[i]], edges[i][pick[i]], at[i], at[next]);
              cost = kRunOnCost * std::clamp((r - kRunOnFrom) / (kRunOnFull - kRunOnFrom), 0.f, 1.f);
            }
            strength -= cost;
          }
          float misfit = 0;
          if (!anchor_img.empty()) {
            const cv::Mat from_fit = cv::getPerspectiveTransform(corners.data(), kUnitCard.data());
            std::vector<cv::Point2f> mapped;
            cv::perspectiveTransform(anchor_img, mapped, from_fit);
            misfit = anchors_offset(mapped, anchor_card, slack_y);
          }
          const float score = strength - misfit / kAnchorTolerance;
          if (score > best_score) best_score = score, best = corners, best_pick = pick, best_at = at;
        }
  if (!best) {
    spdlog::trace("outline: no choice of lines makes a card");
    return std::nullopt;
  }
  const std::array<cv::Point2f, 4> corners = *best;
  // A line guessed for one edge stands on the other three being the card's: clear steps between
  // their corners (a white card on white paper shows only faint ones: rows of its text).
  if (missing)
    for (size_t i = 0; i < 4; ++i) {
      if (i == *missing) continue;
      const EdgeLine& l = edges[i][best_pick[i]];
      const float s0 = (best_at[i] - l.point).dot(l.dir), s1 = (best_at[(i + 1) % 4] - l.point).dot(l.dir);
      const float contrast = along[i][best_pick[i]].median(std::min(s0, s1), std::max(s0, s1)).first;
      if (contrast < kClearContrast) {
        spdlog::trace("outline: edge {} too faint ({:.1f}) to place edge {} by", i, contrast, *missing);
        return std::nullopt;
      }
    }
  if (missing) spdlog::trace("outline: edge {} placed by the other three", *missing);
  // Sanity: a convex quad near the estimate, of a card's proportions (keystone allowed).
  if (!is_convex(corners)) return std::nullopt;
  const float diag = std::hypot(width, height);
  for (size_t i = 0; i < 4; ++i)
    if (cv::norm(corners[i] - est[i]) > 0.3f * diag) {
      spdlog::trace("outline: corner {} too far from the estimate", i);
      return std::nullopt;
    }
  const float fw =
      static_cast<float>(cv::norm(corners[1] - corners[0]) + cv::norm(corners[2] - corners[3])) / 2;
  const float fh =
      static_cast<float>(cv::norm(corners[3] - corners[0]) + cv::norm(corners[2] - corners[1])) / 2;
  if (missing && fw < kMinWidthToPlaceAnEdge) {
    spdlog::trace("outline: a card {:.0f} px wide has no edge placed by the others", fw);
    return std::nullopt;
  }
  const float aspect = fh / fw;
  if (aspect < 0.55f * card_template::kAspect || aspect > 1.6f * card_template::kAspect) return std::nullopt;
  return quad_of(corners);
}

// Four-cornered closed outlines around `estimate`, of about its size, each in the estimate's corner
// order, nearest first: where the card's edges lie outside fit_near's bands (a strong keystone, an
// estimate placed from text far from its edges). Edges of the picture reduced to at most kWorkSide,
// and the card's own area (Otsu's split of light), both tried.
std::vector<std::array<cv::Point2f, 4>> contour_quads(const cv::Mat& bgr,
                                                      const std::array<cv::Point2f, 4>& est) {
  constexpr float kWorkSide = 480.f, kGrow = 0.5f, kMinArea = 0.5f, kMaxArea = 2.0f;
  const cv::Rect2f box = cv::boundingRect(std::vector<cv::Point2f>(est.begin(), est.end()));
  const float grow = kGrow * std::max(box.width, box.height);
  const cv::Rect roi =
      cv::Rect(cv::Rect2f(box.x - grow, box.y - grow, box.width + 2 * grow, box.height + 2 * grow)) &
      cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (roi.width < 16 || roi.height < 16) return {};
  const float scale = std::min(1.f, kWorkSide / static_cast<float>(std::max(roi.width, roi.height)));
  cv::Mat small, gray;
  cv::resize(bgr(roi), small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  cv::GaussianBlur(gray, gray, cv::Size(5, 5), 0);
  std::array<cv::Point2f, 4> w;  // the estimate in the working image
  for (size_t i = 0; i < 4; ++i)
    w[i] = {(est[i].x - static_cast<float>(roi.x)) * scale, (est[i].y - static_cast<float>(roi.y)) * scale};
  const float est_area = static_cast<float>(cv::contourArea(std::vector<cv::Point2f>(w.begin(), w.end())));
  const cv::Point2f centre = (w[0] + w[1] + w[2] + w[3]) * 0.25f;
  std::vector<std::pair<float, std::array<cv::Point2f, 4>>> found;
  auto collect = [&](const cv::Mat& binary) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    for (const auto& c : contours) {
      if (c.size() < 4) continue;
      std::vector<cv::Point> hull, poly;
      cv::convexHull(c, hull);
      const double area = cv::contourArea(hull);
      if (area < kMinArea * est_area || area > kMaxArea * est_area) continue;
      cv::approxPolyDP(hull, poly, 0.03 * cv::arcLength(hull, true), true);
      if (poly.size() != 4 || cv::pointPolygonTest(poly, centre, false) < 0) continue;
      // In the estimate's order: the rotation (either winding) nearest to it corner by corner.
      float best = 1e30f;
      std::array<cv::Point2f, 4> ordered{};
      for (int dir : {1, -1})
        for (int start = 0; start < 4; ++start) {
          std::array<cv::Point2f, 4> q;
          float d = 0;
          for (int i = 0; i < 4; ++i) {
            q[static_cast<size_t>(i)] =
                cv::Point2f(poly[static_cast<size_t>(((start + dir * i) % 4 + 4) % 4)]);
            const cv::Point2f e = q[static_cast<size_t>(i)] - w[static_cast<size_t>(i)];
            d += e.dot(e);
          }
          if (d < best && is_convex(q)) best = d, ordered = q;
        }
      if (best >= 1e30f) continue;
      for (auto& p : ordered)
        p = {p.x / scale + static_cast<float>(roi.x), p.y / scale + static_cast<float>(roi.y)};
      found.emplace_back(best, ordered);
    }
  };
  cv::Mat edges;
  cv::Canny(gray, edges, 20, 60);
  cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 1);
  collect(edges);
  cv::Mat light;
  cv::threshold(gray, light, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  collect(light);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::array<cv::Point2f, 4>> out;
  for (const auto& f : found) {
    const bool same = std::any_of(out.begin(), out.end(), [&](const auto& o) {
      return cv::norm(o[0] - f.second[0]) + cv::norm(o[2] - f.second[2]) < 4.0 / scale;
    });
    if (!same && out.size() < 4) out.push_back(f.second);
  }
  return out;
}

// Where the card `fit` puts the image points that the card placed at `estimate` (through them)
// has at `anchors`: their mean distance from the template's places (fraction of the card's width,
// the cost a choice of edges pays) and the furthest any lies above or below its row beyond
// `slack_y` (fraction of the height).
struct AnchorFit {
  float misfit = 0, drift = 0;
};
AnchorFit anchor_fit(const std::array<cv::Point2f, 4>& est, const std::array<cv::Point2f, 4>& fit,
                     const std::vector<Point>& anchors, float slack_y) {
  if (anchors.empty()) return {};
  std::vector<cv::Point2f> on_card, in_image, mapped;
  for (const Point& p : anchors) on_card.emplace_back(p.x, p.y);
  cv::perspectiveTransform(on_card, in_image, cv::getPerspectiveTransform(kUnitCard.data(), est.data()));
  cv::perspectiveTransform(in_image, mapped, cv::getPerspectiveTransform(fit.data(), kUnitCard.data()));
  AnchorFit out{anchors_offset(mapped, on_card, slack_y), 0.f};
  for (size_t k = 0; k < mapped.size(); ++k)
    out.drift = std::max(out.drift, std::fabs(mapped[k].y - on_card[k].y) - slack_y);
  return out;
}

}  // namespace

std::optional<Quad> fit_card_outline(const cv::Mat& bgr, const Quad& estimate,
                                     const std::vector<Point>& anchors, float slack_y, float max_drift) {
  const auto est = corners_of(estimate);
  spdlog::trace("outline: about ({:.0f},{:.0f}) ({:.0f},{:.0f}) ({:.0f},{:.0f}) ({:.0f},{:.0f})", est[0].x,
                est[0].y, est[1].x, est[1].y, est[2].x, est[2].y, est[3].x, est[3].y);
  auto log = [](const char* how, const AnchorFit& a) {
    spdlog::debug("outline: {}, anchors {:.3f} off, {:.3f} off their row", how, a.misfit, a.drift);
  };
  if (auto near = fit_near(bgr, estimate, anchors, slack_y)) {
    const AnchorFit a = anchor_fit(est, corners_of(*near), anchors, slack_y);
    log("near", a);
    if (a.drift <= max_drift) return near;
  }
  if (bgr.empty() || bgr.channels() != 3) return std::nullopt;
  // The edges beyond the bands: a closed outline about the estimate gives new bands to search,
  // and the card it leads to must keep the anchors where the template prints them (a form's box,
  // the portrait's frame, a shadow are other outlines).
  constexpr float kMaxMisfit =
      0.05f;  // of the card's width: printers' and generators' layouts differ by ~0.03
  const float diag = static_cast<float>(cv::norm(est[2] - est[0]) + cv::norm(est[3] - est[1])) / 2;
  for (const auto& outline : contour_quads(bgr, est)) {
    const auto fit = fit_near(bgr, quad_of(outline), {}, 0.f);
    if (!fit) continue;
    const auto corners = corners_of(*fit);
    const AnchorFit a = anchor_fit(est, corners, anchors, slack_y);
    if (anchors.empty()) {
      // No anchor to hold it: the card must stay where the estimate put it, about its size.
      const cv::Point2f shift = (corners[0] + corners[2] - est[0] - est[2]) * 0.5f;
      if (cv::norm(shift) > 0.15f * diag) continue;
    } else if (a.misfit > kMaxMisfit || a.drift > max_drift) {
      continue;
    }
    log("closed", a);
    return fit;
  }
  // A strong keystone moves the far edges of a card placed from its text out of the bands, and a
  // textured or glaring ground closes no outline about it: wider bands, the anchors holding the
  // choice (wider bands tried first picked a text row or a shadow for an edge on clean photos).
  if (anchors.empty()) return std::nullopt;
  // Wider bands reach more lines that are not the card's (a text row above a card on white
  // paper fitted 0.039 off): a tighter hold than the closed outline's (cards found this way fit
  // within 0.02).
  constexpr float kMaxWideMisfit = 0.03f;
  // The last try may place one edge that does not show from the other three (see fit_near).
  const auto wide = fit_near(bgr, estimate, anchors, slack_y, kWideBand, UnseenEdge::kPlacedByTheOthers);
  if (!wide) return std::nullopt;
  const AnchorFit a = anchor_fit(est, corners_of(*wide), anchors, slack_y);
  log("wide", a);
  if (a.misfit > kMaxWideMisfit || a.drift > max_drift) return std::nullopt;
  return wide;
}

std::vector<CardRegion> card_shaped_regions(const cv::Mat& bgr) {
  constexpr float kWorkSide = 640.f;  // contours need no more
  constexpr float kMinShare = 0.01f, kMaxShare = 0.8f;
  // A card in perspective fills its rotated rectangle less: a trapezoid of keystone k fills
  // 1 - k/2 of it (0.82 at the 0.35). Regions filling less than kSquareFill come after
  // every one that fills more (other outlines fill about as little: a larger one first took the
  // place of a card seen square on).
  constexpr float kMinAspect = 1.25f, kMaxAspect = 2.1f, kMinFill = 0.8f, kSquareFill = 0.85f;
  if (bgr.empty() || bgr.channels() != 3) return {};
  const float scale = std::min(1.f, kWorkSide / static_cast<float>(std::max(bgr.cols, bgr.rows)));
  cv::Mat small, gray, edges;
  cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  cv::GaussianBlur(gray, gray, cv::Size(5, 5), 0);
  cv::Canny(gray, edges, 20, 60);
  cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 1);  // close gaps in a blurred outline
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(edges, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  const float picture = static_cast<float>(small.cols * small.rows);
  struct Found {
    bool square_on;
    float area;
    cv::RotatedRect rect;
  };
  std::vector<Found> found;
  for (const auto& c : contours) {
    if (c.size() < 4) continue;
    std::vector<cv::Point> hull;
    cv::convexHull(c, hull);
    const cv::RotatedRect r = cv::minAreaRect(hull);
    const float area = r.size.width * r.size.height;
    if (area < kMinShare * picture || area > kMaxShare * picture) continue;
    const float aspect =
        std::max(r.size.width, r.size.height) / std::max(1.f, std::min(r.size.width, r.size.height));
    const float fill = static_cast<float>(cv::contourArea(hull)) / area;
    if (aspect < kMinAspect || aspect > kMaxAspect || fill < kMinFill) continue;
    found.push_back({fill >= kSquareFill, area, r});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.square_on != b.square_on ? a.square_on : a.area > b.area;
  });
  std::vector<CardRegion> regions;
  std::vector<cv::RotatedRect> kept;
  for (const auto& candidate : found) {
    const cv::RotatedRect& r = candidate.rect;
    // One region a card: a contour inside one kept (its inner border, the portrait) is not another.
    const bool inside_kept = std::any_of(kept.begin(), kept.end(), [&r](const cv::RotatedRect& k) {
      std::vector<cv::Point2f> poly(4);
      k.points(poly.data());
      return cv::pointPolygonTest(poly, r.center, false) >= 0;
    });
    if (inside_kept) continue;
    kept.push_back(r);
    cv::Rect2f box = r.boundingRect2f();
    const float grow = 0.1f * std::max(box.width, box.height);
    box = cv::Rect2f((box.x - grow) / scale, (box.y - grow) / scale, (box.width + 2 * grow) / scale,
                     (box.height + 2 * grow) / scale);
    cv::Point2f corners[4];
    r.points(corners);
    const cv::Point2f a = corners[1] - corners[0], b = corners[2] - corners[1];
    const cv::Point2f long_side = cv::norm(a) >= cv::norm(b) ? a : b;
    regions.push_back({cv::Rect(box) & cv::Rect(0, 0, bgr.cols, bgr.rows),
                       std::fabs(long_side.y) > std::fabs(long_side.x)});
  }
  return regions;
}

}  // namespace idcard
