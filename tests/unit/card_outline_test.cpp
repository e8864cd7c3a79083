#include "idcard/card_outline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "idcard/card_template.h"

namespace idcard {
namespace {

// A card drawn into a photo: a light card with rows of dark "text", a portrait frame and a number
// row, warped by a homography onto a background, so the test knows its true corners.
struct Scene {
  cv::Mat image;
  Quad truth;
};

// `rim`: the card's edge pixels blend with black (a printed border line); without it the card meets
// the background directly.
Scene make_scene(const std::array<cv::Point2f, 4>& corners, cv::Scalar background, bool table_lines,
                 bool rim = true) {
  constexpr int kW = 856, kH = 540;
  cv::Mat card(kH, kW, CV_8UC3, cv::Scalar(236, 232, 226));
  cv::Mat mask(kH, kW, CV_8UC1, cv::Scalar(0));
  cv::rectangle(mask, cv::Rect(0, 0, kW, kH), cv::Scalar(255), cv::FILLED);
  // Rows of text (label column and values), a framed portrait, the number low on the card.
  for (int row = 0; row < 4; ++row) {
    const int y = 70 + row * 75;
    cv::rectangle(card, cv::Rect(50, y, 70, 28), cv::Scalar(160, 120, 80), cv::FILLED);
    for (int x = 150; x < 150 + 40 * (6 - row); x += 40)
      cv::rectangle(card, cv::Rect(x, y, 30, 30), cv::Scalar(30, 30, 30), cv::FILLED);
  }
  cv::rectangle(card, cv::Rect(540, 60, 250, 320), cv::Scalar(90, 80, 70), 6);
  for (int k = 0; k < 18; ++k)
    cv::rectangle(card, cv::Rect(300 + k * 27, 440, 20, 36), cv::Scalar(20, 20, 20), cv::FILLED);
  cv::rectangle(card, cv::Rect(50, 452, 150, 24), cv::Scalar(160, 120, 80), cv::FILLED);  // its label
  cv::Mat image(900, 1200, CV_8UC3, background);
  if (table_lines)  // a form's rules beside and under the card, parallel to its edges
    for (int y = 40; y < 900; y += 70) cv::line(image, {0, y}, {1199, y + 20}, cv::Scalar(40, 40, 40), 3);
  const cv::Point2f src[4] = {{0, 0}, {kW, 0}, {kW, kH}, {0, kH}};
  const cv::Mat h = cv::getPerspectiveTransform(src, corners.data());
  cv::Mat warped, warped_mask;
  cv::warpPerspective(card, warped, h, image.size(), cv::INTER_LINEAR,
                      rim ? cv::BORDER_CONSTANT : cv::BORDER_REPLICATE);
  cv::warpPerspective(mask, warped_mask, h, image.size());
  warped.copyTo(image, warped_mask);
  cv::GaussianBlur(image, image, cv::Size(), 0.8);
  Scene s{image, {}};
  for (size_t i = 0; i < 4; ++i) s.truth[i] = Point{corners[i].x, corners[i].y};
  return s;
}

// The estimate a card's text gives: the true corners moved about (an affine guess from one line).
Quad estimate_from(const Quad& truth, float shift, float grow) {
  Quad q;
  const float cx = (truth[0].x + truth[1].x + truth[2].x + truth[3].x) / 4;
  const float cy = (truth[0].y + truth[1].y + truth[2].y + truth[3].y) / 4;
  for (size_t i = 0; i < 4; ++i)
    q[i] = Point{cx + (truth[i].x - cx) * grow + shift, cy + (truth[i].y - cy) * grow - shift / 2};
  return q;
}

float mean_error(const Quad& a, const Quad& b) {
  float e = 0;
  for (size_t i = 0; i < 4; ++i) e += std::hypot(a[i].x - b[i].x, a[i].y - b[i].y);
  return e / 4;
}

const std::vector<Point> kNumberEnds = {
    Point{card_template::kNumber.left, card_template::kNumber.centre_y},
    Point{card_template::kNumber.right(), card_template::kNumber.centre_y}};

TEST(CardOutline, FindsAKeystonedCardToSubPixelFromARoughEstimate) {
  // The top edge 35 % shorter than the bottom (a card photographed at a slant), turned 10 degrees.
  const Scene s =
      make_scene({cv::Point2f(420, 230), cv::Point2f(800, 290), cv::Point2f(930, 660), cv::Point2f(270, 560)},
                 cv::Scalar(60, 90, 120), false);
  const Quad estimate = estimate_from(s.truth, 18, 1.06f);
  const auto fit = fit_card_outline(s.image, estimate, kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  EXPECT_LT(mean_error(*fit, s.truth), 0.01f * width);
  EXPECT_GT(mean_error(estimate, s.truth), 0.04f * width);  // the estimate alone was far off
}

TEST(CardOutline, APortraitFrameOrTextRowIsNotTakenForTheEdge) {
  // Upright, on a dark desk: the portrait's frame and the number row run parallel to the edges
  // inside the search band.
  const Scene s = make_scene(
      {cv::Point2f(200, 150), cv::Point2f(1000, 150), cv::Point2f(1000, 655), cv::Point2f(200, 655)},
      cv::Scalar(40, 40, 40), false);
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, -10, 0.95f), kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 4.f);
}

TEST(CardOutline, TableRulesBesideTheCardLoseToItsEdges) {
  const Scene s =
      make_scene({cv::Point2f(250, 200), cv::Point2f(950, 220), cv::Point2f(940, 660), cv::Point2f(240, 640)},
                 cv::Scalar(170, 175, 180), true);
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, 12, 1.04f), kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  EXPECT_LT(mean_error(*fit, s.truth), 0.02f * width);  // the goal on photos: within 2 % of the width
}

// An estimate too far off for the bands about its edges (a strong keystone and a placement from
// text): the closed outline about it leads to the card, held by the number where it is printed.
TEST(CardOutline, AnEstimateBeyondTheBandsIsFoundByTheClosedOutline) {
  const Scene s =
      make_scene({cv::Point2f(430, 200), cv::Point2f(760, 260), cv::Point2f(930, 680), cv::Point2f(250, 600)},
                 cv::Scalar(50, 70, 60), false);
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  // The estimate keeps the number where the card prints it (as one placed from the number does)
  // but is a plain parallelogram: its top corners far from the keystoned card's.
  Quad estimate = s.truth;
  estimate[0] = Point{s.truth[3].x + (s.truth[0].x - s.truth[3].x) * 1.0f - 120, s.truth[0].y - 40};
  estimate[1] = Point{s.truth[1].x + 120, s.truth[1].y - 60};
  const std::vector<Point> bottom_ends = {Point{0.2f, 0.95f}, Point{0.8f, 0.95f}};
  const auto fit = fit_card_outline(s.image, estimate, bottom_ends);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 0.02f * width);
  // The same outline, but the estimate's anchors a third of the card away from where the card
  // would put them: not this card.
  const auto moved = fit_card_outline(s.image, estimate, {Point{0.2f, 0.6f}, Point{0.8f, 0.6f}});
  EXPECT_FALSE(moved.has_value() && mean_error(*moved, s.truth) < 0.02f * width);
}

// A light card on light paper: its edges are faint. Darker things run parallel to them just
// outside: light falling off in a soft ramp above it, and a sheet's straight edge below it that runs
// on across the picture. The card's own edges are steps that end at its corners.
Scene faint_card_scene() {
  Scene s =
      make_scene({cv::Point2f(300, 260), cv::Point2f(900, 270), cv::Point2f(895, 650), cv::Point2f(295, 640)},
                 cv::Scalar(212, 210, 206), false);
  cv::Mat& img = s.image;
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) {
      const float top = 265.f + 0.0167f * static_cast<float>(x - 300);  // the card's top edge here
      const float bottom = 645.f + 0.0167f * static_cast<float>(x - 300);
      const float fy = static_cast<float>(y);
      cv::Vec3b& px = img.at<cv::Vec3b>(y, x);
      const bool on_card = fy > top && fy < bottom && x > 298 && x < 898;
      if (on_card) continue;
      // 30-70 px above the card the light falls off by 70 levels (a ramp, no step).
      const float ramp = std::clamp((top - 30.f - fy) / 40.f, 0.f, 1.f);
      // 22 px below it a darker sheet begins, its edge straight across the whole picture.
      const float sheet = fy > bottom + 22.f ? 1.f : 0.f;
      for (int c = 0; c < 3; ++c)
        px[c] = cv::saturate_cast<uchar>(static_cast<float>(px[c]) - 70.f * ramp - 60.f * sheet);
    }
  cv::GaussianBlur(img, img, cv::Size(), 0.8);
  return s;
}

TEST(CardOutline, ARampOfLightOrASheetRunningPastTheCornersIsNotItsEdge) {
  const Scene s = faint_card_scene();
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, 6, 1.03f), kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 0.02f * width);
}

TEST(CardOutline, ACardAsLightAsItsBackgroundIsToldByHue) {
  // A warm card on a cool grey sheet of about its lightness (a scan's lid, a grey desk), the
  // sheet a little lighter on the left than on the right: along the top and bottom edges the card
  // is darker than the sheet for half the way and lighter for the other half; its hue differs
  // all along. No printed rim: the faint right edge has only the portrait's thick frame beside it.
  Scene s = make_scene(
      {cv::Point2f(200, 160), cv::Point2f(1000, 175), cv::Point2f(990, 680), cv::Point2f(195, 665)},
      cv::Scalar(222, 230, 236), false, /*rim=*/false);
  std::vector<cv::Point> outline;
  for (const Point& p : s.truth) outline.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
  cv::Mat on_card(s.image.size(), CV_8UC1, cv::Scalar(0));
  cv::fillConvexPoly(on_card, outline, cv::Scalar(255));
  for (int y = 0; y < s.image.rows; ++y)
    for (int x = 0; x < s.image.cols; ++x) {
      if (on_card.at<uchar>(y, x)) continue;
      cv::Vec3b& px = s.image.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) px[c] = cv::saturate_cast<uchar>(px[c] + (x < 600 ? 4 : -4));
    }
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, 10, 1.03f), kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 0.01f * width);
}

TEST(CardOutline, AFaintEdgeOfAFewLevelsIsFound) {
  // A dim or hazy photo: the card only 2-3 levels lighter than the desk in each channel, no rim.
  const Scene s =
      make_scene({cv::Point2f(260, 180), cv::Point2f(960, 230), cv::Point2f(930, 670), cv::Point2f(230, 620)},
                 cv::Scalar(233, 230, 224), false, /*rim=*/false);
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, 8, 1.03f), kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 0.01f * width);
}

// A card near the picture's top, its estimate (placed from its text) reaching past the border:
// the estimate's edge lies outside the picture, the card's edge inside it. A sheet of the card's
// colour under its corner (no printed rim) leaves no closed outline of the card's alone.
TEST(CardOutline, AnEstimateReachingPastThePicturesBorderStillFindsTheEdgeInside) {
  Scene s =
      make_scene({cv::Point2f(250, 45), cv::Point2f(930, 30), cv::Point2f(950, 460), cv::Point2f(260, 480)},
                 cv::Scalar(90, 40, 70), false, /*rim=*/false);
  cv::Mat sheet(s.image.size(), CV_8UC1, cv::Scalar(0)), card(s.image.size(), CV_8UC1, cv::Scalar(0));
  const cv::Point sheet_corners[4] = {{820, 400}, {1199, 380}, {1199, 899}, {840, 899}};
  cv::fillConvexPoly(sheet, sheet_corners, 4, cv::Scalar(255));
  std::vector<cv::Point> outline;
  for (const Point& p : s.truth) outline.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
  cv::fillConvexPoly(card, outline, cv::Scalar(255));
  s.image.setTo(cv::Scalar(236, 232, 226), sheet & ~card);  // under the card's corner, its colour
  Quad estimate = estimate_from(s.truth, 0, 1.02f);
  estimate[0].y -= 60, estimate[1].y -= 60;  // its top edge above the picture all along
  const auto fit = fit_card_outline(s.image, estimate, kNumberEnds);
  ASSERT_TRUE(fit.has_value());
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  EXPECT_LT(mean_error(*fit, s.truth), 0.02f * width);
}

// The card's lower part on a white sheet of its own colour: its bottom edge does not show, and
// the number's foot is the strongest step below the rows. An outline ending there puts the
// number at the card's bottom, not where a card prints it: no outline.
TEST(CardOutline, TheNumbersFootIsNotTheCardsBottomEdge) {
  Scene s =
      make_scene({cv::Point2f(250, 150), cv::Point2f(950, 170), cv::Point2f(940, 610), cv::Point2f(240, 590)},
                 cv::Scalar(60, 50, 40), false, /*rim=*/false);
  // The sheet from 3 px above the card's bottom edge (so no sliver of the desk shows along it) down.
  const cv::Point sheet[4] = {{0, 583 - 3}, {1199, 617 - 3}, {1199, 899}, {0, 899}};
  cv::fillConvexPoly(s.image, sheet, 4, cv::Scalar(236, 232, 226));
  const auto fit = fit_card_outline(s.image, estimate_from(s.truth, 5, 1.02f), kNumberEnds,
                                    card_template::kNumberRowSlack, card_template::kNumberRowDrift);
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  EXPECT_FALSE(fit.has_value() && mean_error(*fit, s.truth) > 0.02f * width);
}

// A card's left part on a sheet of its own colour: its left edge does not show. Its other three
// edges and the number's ends, printed where the template puts them, place the left edge.
TEST(CardOutline, AnEdgeThatDoesNotShowIsPlacedByTheOtherThreeAndTheAnchors) {
  Scene s =
      make_scene({cv::Point2f(300, 180), cv::Point2f(900, 230), cv::Point2f(960, 640), cv::Point2f(230, 600)},
                 cv::Scalar(60, 50, 40), false, /*rim=*/false);
  // The sheet from 3 px right of the card's left edge (x = 300 - (y - 180) / 6: no sliver of the
  // desk along it) leftwards, over the whole height of the picture.
  const cv::Point sheet[4] = {{0, 0}, {330 + 3, 0}, {180 + 3, 899}, {0, 899}};
  cv::fillConvexPoly(s.image, sheet, 4, cv::Scalar(236, 232, 226));
  const float width = std::hypot(s.truth[1].x - s.truth[0].x, s.truth[1].y - s.truth[0].y);
  const Quad estimate = estimate_from(s.truth, 10, 1.03f);
  const auto fit = fit_card_outline(s.image, estimate, kNumberEnds, card_template::kNumberRowSlack,
                                    card_template::kNumberRowDrift);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(mean_error(*fit, s.truth), 0.02f * width);
  EXPECT_GT(mean_error(estimate, s.truth), 0.02f * width);  // the estimate alone was off
}

TEST(CardOutline, NoOutlineOnAPlainBackgroundOrAnEmptyImage) {
  const cv::Mat plain(600, 800, CV_8UC3, cv::Scalar(200, 200, 200));
  const Quad guess{Point{100, 100}, Point{600, 100}, Point{600, 415}, Point{100, 415}};
  EXPECT_FALSE(fit_card_outline(plain, guess).has_value());
  EXPECT_FALSE(fit_card_outline(cv::Mat(), guess).has_value());
  const Quad tiny{Point{1, 1}, Point{5, 1}, Point{5, 4}, Point{1, 4}};
  EXPECT_FALSE(fit_card_outline(plain, tiny).has_value());
}

TEST(CardOutline, ACardCutByTheFrameIsNotGuessed) {
  // The left third of the card lies outside the image: its left edge cannot be seen.
  const Scene s = make_scene(
      {cv::Point2f(-300, 200), cv::Point2f(500, 200), cv::Point2f(500, 705), cv::Point2f(-300, 705)},
      cv::Scalar(40, 40, 40), false);
  EXPECT_FALSE(fit_card_outline(s.image, s.truth, kNumberEnds).has_value());
}

TEST(CardShapedRegions, FindsASmallTiltedCardByItsOutlineAlone) {
  // A card a quarter of the frame's width, turned, on a dark cloth: found without any text read.
  const Scene s =
      make_scene({cv::Point2f(600, 500), cv::Point2f(880, 560), cv::Point2f(845, 735), cv::Point2f(565, 675)},
                 cv::Scalar(90, 40, 40), false);
  const auto regions = card_shaped_regions(s.image);
  ASSERT_FALSE(regions.empty());
  const cv::Rect& r = regions.front().bounds;
  for (const Point& p : s.truth)
    EXPECT_TRUE(r.contains(cv::Point(static_cast<int>(p.x), static_cast<int>(p.y))));
  EXPECT_LT(r.area(), 3 * 300 * 240);  // about the card, not the picture
  EXPECT_FALSE(regions.front().standing);
}

TEST(CardShapedRegions, FindsASmallCardSeenAtAStrongSlant) {
  // Keystone 0.33 (its far edge a third shorter): it fills 0.83 of its rotated rectangle.
  const Scene s =
      make_scene({cv::Point2f(620, 500), cv::Point2f(820, 520), cv::Point2f(870, 690), cv::Point2f(570, 660)},
                 cv::Scalar(70, 40, 60), false);
  const auto regions = card_shaped_regions(s.image);
  ASSERT_FALSE(regions.empty());
  for (const Point& p : s.truth)
    EXPECT_TRUE(regions.front().bounds.contains(cv::Point(static_cast<int>(p.x), static_cast<int>(p.y))));
}

TEST(CardShapedRegions, TellsACardStandingOnItsShortSide) {
  // The same card turned by about 80 degrees: its long side runs down the picture.
  const Scene s =
      make_scene({cv::Point2f(700, 400), cv::Point2f(740, 680), cv::Point2f(565, 705), cv::Point2f(525, 425)},
                 cv::Scalar(90, 40, 40), false);
  const auto regions = card_shaped_regions(s.image);
  ASSERT_FALSE(regions.empty());
  EXPECT_TRUE(regions.front().standing);
}

TEST(CardShapedRegions, NoneInAPlainPicture) {
  EXPECT_TRUE(card_shaped_regions(cv::Mat(600, 800, CV_8UC3, cv::Scalar(120, 130, 140))).empty());
  EXPECT_TRUE(card_shaped_regions(cv::Mat()).empty());
}

}  // namespace
}  // namespace idcard
