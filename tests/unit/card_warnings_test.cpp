// The warnings' rules (pure) and image measures on synthetic cards drawn here.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "idcard/card_checks.h"
#include "idcard/card_quality.h"
#include "idcard/card_report.h"

namespace idcard {
namespace {

bool has(const std::vector<std::string>& codes, const std::string& c) {
  return std::find(codes.begin(), codes.end(), c) != codes.end();
}

TEST(RuleWarnings, NumberAgainstPrintedValues) {
  FrontFields f;
  f.id.text = "11010519491231002X";  // born 1949-12-31, female
  f.birth.text = "19491231";
  f.gender.text = "女";
  EXPECT_TRUE(front_rule_warnings(f).empty());
  f.gender.text = "男";
  EXPECT_TRUE(has(front_rule_warnings(f), "number_mismatch"));
  f.gender.text = "女";
  f.birth.text = "19491230";
  EXPECT_TRUE(has(front_rule_warnings(f), "number_mismatch"));
  f.birth.text = "19491231";
  f.id.text = "110105194912310021";  // check character wrong
  EXPECT_TRUE(has(front_rule_warnings(f), "number_mismatch"));
  f.id.text = "1101051949";  // not read whole: nothing to say
  EXPECT_TRUE(front_rule_warnings(f).empty());
  f.id.text = "11010519491231002X";
  f.birth = Field{"19491231", 1.f, {}, true};  // taken from the number: not compared
  EXPECT_TRUE(front_rule_warnings(f).empty());
}

TEST(RuleWarnings, FrontAndBackOfOneHolder) {
  FrontFields f;
  BackFields b;
  f.addr.text = "广西壮族自治区桂林市秀峰区丽君街道特口摩铺村";
  b.authority.text = "桂林市公安局秀峰分局";
  EXPECT_TRUE(same_holder(f, b));
  b.authority.text = "成都市公安局温江分局";  // another person's back
  EXPECT_FALSE(same_holder(f, b));
  f.addr.text = "陕西省榆林市定边县定边镇西关街12号";
  b.authority.text = "榆林市定边县公安局";
  EXPECT_TRUE(same_holder(f, b));
  b.authority.text = "定边县公安局";
  EXPECT_TRUE(same_holder(f, b));
  b.authority.text = "鄯善县公安局";
  EXPECT_FALSE(same_holder(f, b));
  f.addr.text = "北京市朝阳区建国路88号";
  b.authority.text = "北京市公安局朝阳分局";
  EXPECT_TRUE(same_holder(f, b));
  b.authority.text = "";  // not read: not taken for one holder's
  EXPECT_FALSE(same_holder(f, b));
}

TEST(RuleWarnings, PeriodSpanAgeAndExpiry) {
  BackFields b;
  b.valid_date.text = "20150619-20350619";
  EXPECT_TRUE(back_rule_warnings(b, "", "20260101").empty());
  EXPECT_TRUE(has(back_rule_warnings(b, "", "20360101"), "expired"));
  EXPECT_FALSE(has(back_rule_warnings(b, "", ""), "expired"));          // no day given: not judged
  EXPECT_FALSE(has(back_rule_warnings(b, "", "20350619"), "expired"));  // valid through its last day
  b.valid_date.text = "20150619-20220619";                              // 7 years
  EXPECT_TRUE(has(back_rule_warnings(b, "", ""), "invalid_date"));
  b.valid_date.text = "20100301-长期";
  EXPECT_TRUE(back_rule_warnings(b, "19600101", "20990101").empty());       // 50 at issue: 长期
  EXPECT_TRUE(has(back_rule_warnings(b, "19900101", ""), "invalid_date"));  // 20 at issue: 10 years
  b.valid_date.text = "20150619-20350619";                                  // 20 years
  EXPECT_TRUE(back_rule_warnings(b, "19850101", "").empty());               // 30 at issue
  EXPECT_TRUE(has(back_rule_warnings(b, "20050101", ""), "invalid_date"));  // 10 at issue: 5 years
  b.valid_date.text = "2015061";                                            // not read whole
  EXPECT_TRUE(back_rule_warnings(b, "", "20990101").empty());
}

TEST(RuleWarnings, ATemporaryCardIsToldAndItsThreeMonthsFit) {
  BackFields b;
  b.temporary = true;
  b.valid_date.text = "20250520-20250820";
  EXPECT_EQ(back_rule_warnings(b, "19850101", "20250601"), std::vector<std::string>{"temporary"});
  EXPECT_TRUE(has(back_rule_warnings(b, "", "20251203"), "expired"));
  b.valid_date.text = "20150619-20350619";  // a card's span on a temporary card
  EXPECT_TRUE(has(back_rule_warnings(b, "19850101", ""), "invalid_date"));
  b.valid_date.text = "";  // its period not read: still told by its title
  EXPECT_EQ(back_rule_warnings(b, "", ""), std::vector<std::string>{"temporary"});
  b.temporary = false;
  b.valid_date.text = "20250520-20250820";
  EXPECT_EQ(back_rule_warnings(b, "", ""), std::vector<std::string>{"invalid_date"});
}

// A light, tinted card with dark text rows and a coloured portrait, drawn upright at `w` px.
cv::Mat synthetic_card(int w) {
  const int h = static_cast<int>(w * 54 / 85.6);
  cv::Mat card(h, w, CV_8UC3, cv::Scalar(228, 222, 214));
  cv::RNG rng(7);
  for (int row = 0; row < 6; ++row)
    for (int x = w / 10; x < w / 2; x += w / 40) {
      const int y = h / 8 + row * h / 8;
      cv::rectangle(card, cv::Rect(x, y, w / 60, h / 20 + static_cast<int>(rng.uniform(0, h / 40))),
                    cv::Scalar(40, 40, 40), cv::FILLED);
    }
  cv::rectangle(card, cv::Rect(static_cast<int>(0.65 * w), h / 8, w / 4, h / 2), cv::Scalar(60, 110, 190),
                cv::FILLED);
  // A camera's noise: a flat, noiseless picture has no spectrum to speak of but its edges' harmonics.
  cv::Mat noise(card.size(), CV_16SC3);
  cv::randn(noise, 0, 3);
  card.convertTo(card, CV_16SC3);
  card += noise;
  card.convertTo(card, CV_8UC3);
  return card;
}

// The card placed in a picture on a dark background; its quad.
Quad place(const cv::Mat& card, cv::Mat& picture, int dx, int dy) {
  picture = cv::Mat(card.rows + 2 * std::abs(dy) + 40, card.cols + 2 * std::abs(dx) + 40, CV_8UC3,
                    cv::Scalar(50, 60, 70));
  const int x0 = std::max(0, dx) + 20, y0 = std::max(0, dy) + 20;
  card.copyTo(picture(cv::Rect(x0, y0, card.cols, card.rows)));
  const float l = static_cast<float>(x0), t = static_cast<float>(y0);
  const float r = l + static_cast<float>(card.cols), b = t + static_cast<float>(card.rows);
  return {Point{l, t}, Point{r, t}, Point{r, b}, Point{l, b}};
}

TEST(ImageWarnings, CleanCardRaisesNone) {
  cv::Mat picture;
  const Quad q = place(synthetic_card(800), picture, 0, 0);
  const CardMeasures m = measure_card(picture, q, 1.f, true);
  const auto codes = image_warnings(m);
  EXPECT_TRUE(codes.empty()) << (codes.empty() ? "" : codes.front());
  EXPECT_GE(quality_score(m, codes), 85);
}

TEST(ImageWarnings, EachDefectIsFound) {
  const cv::Mat card = synthetic_card(800);
  cv::Mat picture;
  Quad q = place(card, picture, 0, 0);

  cv::Mat blurred;
  cv::GaussianBlur(picture, blurred, {0, 0}, 6);
  EXPECT_TRUE(has(image_warnings(measure_card(blurred, q, 1.f, true)), "blurred"));

  EXPECT_TRUE(has(image_warnings(measure_card(picture, q, 0.3f, true)), "too_small"));  // 240 px as sent

  cv::Mat dark = picture * 0.2;
  EXPECT_TRUE(has(image_warnings(measure_card(dark, q, 1.f, true)), "too_dark"));

  cv::Mat bright;
  picture.convertTo(bright, -1, 2.5, 110);  // the print too: near white
  EXPECT_TRUE(has(image_warnings(measure_card(bright, q, 1.f, true)), "overexposed"));

  cv::Mat grey;
  cv::cvtColor(picture, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(grey, grey, cv::COLOR_GRAY2BGR);
  EXPECT_TRUE(has(image_warnings(measure_card(grey, q, 1.f, true)), "copy"));

  cv::Mat glare = picture.clone();
  cv::circle(glare, {static_cast<int>(q[0].x) + 250, static_cast<int>(q[0].y) + 200}, 60,
             cv::Scalar(255, 255, 255), cv::FILLED);
  EXPECT_TRUE(has(image_warnings(measure_card(glare, q, 1.f, true)), "glare"));

  cv::Mat finger = picture.clone();
  cv::rectangle(finger, cv::Rect(static_cast<int>(q[0].x) + 150, static_cast<int>(q[0].y) + 200, 90, 400),
                cv::Scalar(125, 160, 214), cv::FILLED);  // BGR of a light skin tone
  EXPECT_TRUE(has(image_warnings(measure_card(finger, q, 1.f, true)), "occluded"));

  // A screen's subpixel stripes: every third column lit in one channel.
  cv::Mat screen = picture.clone();
  for (int y = 0; y < screen.rows; ++y)
    for (int x = 0; x < screen.cols; ++x) {
      cv::Vec3b& p = screen.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c)
        if (x % 3 != c) p[c] = static_cast<uchar>(p[c] / 3);
    }
  EXPECT_TRUE(has(image_warnings(measure_card(screen, q, 1.f, true)), "reshoot"));

  // Cut: the card's quad reaches 20 % of its width beyond the picture's left edge.
  Quad cut = q;
  for (Point& p : cut) p.x -= q[0].x + 0.2f * 800;
  EXPECT_TRUE(has(image_warnings(measure_card(picture, cut, 1.f, true)), "border_incomplete"));
}

// The picture's border taken for the card's edge where the card runs past it: the quad ends at the
// border, short of a card's proportions. A card cropped to the picture (its proportions kept) is
// whole.
TEST(ImageWarnings, AQuadEndingAtTheBorderShortOfACardIsCutOff) {
  const cv::Mat card = synthetic_card(800);
  cv::Mat picture;
  const Quad q = place(card, picture, 0, 0);
  const cv::Rect inner(static_cast<int>(q[0].x), static_cast<int>(q[0].y), card.cols, card.rows);
  const cv::Mat cropped = picture(inner).clone();  // the card, cropped to its edges
  const float w = static_cast<float>(cropped.cols), h = static_cast<float>(cropped.rows);
  const Quad whole{Point{0, 0}, Point{w, 0}, Point{w, h}, Point{0, h}};
  EXPECT_FALSE(has(image_warnings(measure_card(cropped, whole, 1.f, true)), "border_incomplete"));
  const cv::Mat cut_bottom = cropped.rowRange(0, static_cast<int>(0.8f * h)).clone();  // its last fifth cut
  const float hc = static_cast<float>(cut_bottom.rows);
  const Quad short_quad{Point{0, 0}, Point{w, 0}, Point{w, hc}, Point{0, hc}};
  const CardMeasures m = measure_card(cut_bottom, short_quad, 1.f, true);
  EXPECT_LE(m.outside, 0.f);  // no corner outside: the border alone was found
  EXPECT_TRUE(has(image_warnings(m), "border_incomplete"));
  // The same proportions away from the border: a measure of a card, not a cut.
  cv::Mat room(cut_bottom.rows + 200, cut_bottom.cols + 200, CV_8UC3, cv::Scalar(50, 60, 70));
  cut_bottom.copyTo(room(cv::Rect(100, 100, cut_bottom.cols, cut_bottom.rows)));
  Quad inside = short_quad;
  for (Point& p : inside) p.x += 100, p.y += 100;
  EXPECT_FALSE(has(image_warnings(measure_card(room, inside, 1.f, true)), "border_incomplete"));
}

TEST(ImageWarnings, MessagesAreGivenForEveryCode) {
  for (const char* c : {"border_incomplete", "occluded", "glare", "blurred", "too_small", "too_dark",
                        "overexposed", "copy", "reshoot", "expired", "invalid_date", "number_mismatch",
                        "temporary"})
    EXPECT_STRNE(warning_message(c), "") << c;
}

}  // namespace
}  // namespace idcard
