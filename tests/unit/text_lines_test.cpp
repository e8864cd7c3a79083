#include "idcard/text_lines.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "idcard/line_values.h"

namespace idcard {
namespace {

ocr::TextBox box(float cx, float cy, float w, float h, float angle) {
  return ocr::TextBox{cv::RotatedRect(cv::Point2f(cx, cy), cv::Size2f(w, h), angle), 0.9f};
}

TEST(TextLinesAngle, AngleDiffIsTheSmallestSignedDifference) {
  EXPECT_FLOAT_EQ(angle_diff(10, 350), 20);
  EXPECT_FLOAT_EQ(angle_diff(350, 10), -20);
  EXPECT_FLOAT_EQ(angle_diff(0, 0), 0);
  EXPECT_FLOAT_EQ(angle_diff(725, 0), 5);
  EXPECT_FLOAT_EQ(angle_diff(-725, 0), -5);
  EXPECT_FLOAT_EQ(angle_diff(90, 270), -180);
  EXPECT_FLOAT_EQ(angle_diff(180, 0), 180);
  EXPECT_FLOAT_EQ(angle_diff(271, 90), -179);
}

TEST(TextLinesAngle, ReadingAxesOfElongatedBoxes) {
  const auto axes = reading_axes({box(100, 100, 200, 30, 0), box(100, 300, 30, 200, 0),
                                  box(300, 300, 200, 30, 10), box(300, 500, 200, 30, -10)},
                                 45);
  ASSERT_EQ(axes.size(), 4u);
  EXPECT_NEAR(axes[0], 0, 1e-4);
  EXPECT_NEAR(axes[1], 90, 1e-4);  // tall box: its long axis is vertical
  EXPECT_NEAR(axes[2], 10, 1e-4);
  EXPECT_NEAR(axes[3], 170, 1e-4);  // mod 180
}

TEST(TextLinesAngle, ShortBoxesTakeTheNearestElongatedAxis) {
  const auto axes = reading_axes({box(100, 100, 300, 30, 10), box(500, 500, 300, 30, 80),
                                  box(150, 160, 30, 32, 0), box(480, 420, 30, 30, 0)},
                                 0);
  EXPECT_NEAR(axes[2], 10, 1e-4);
  EXPECT_NEAR(axes[3], 80, 1e-4);
  // No elongated box at all: the fallback.
  const auto lone = reading_axes({box(100, 100, 30, 30, 0), box(200, 100, 40, 30, 5)}, 33);
  EXPECT_FLOAT_EQ(lone[0], 33);
  EXPECT_FLOAT_EQ(lone[1], 33);
  EXPECT_TRUE(reading_axes({}, 0).empty());
}

TEST(TextLinesAngle, DominantTextAngle) {
  EXPECT_NEAR(dominant_text_angle({box(0, 0, 200, 30, 10), box(0, 50, 300, 30, 10)}), 10, 1e-3);
  // A box described with width and height swapped has the same axis.
  EXPECT_NEAR(dominant_text_angle({box(0, 0, 200, 30, 10), box(0, 50, 30, 300, -80)}), 10, 1e-3);
  EXPECT_NEAR(dominant_text_angle({box(0, 0, 200, 30, -5)}), 175, 1e-3);
  EXPECT_FLOAT_EQ(dominant_text_angle({box(0, 0, 30, 30, 40)}), 0);  // too square to tell
  EXPECT_FLOAT_EQ(dominant_text_angle({}), 0);
}

// A white image with a vertical dark bar: grey (128) in its top 30 px, black below.
cv::Mat vertical_bar() {
  cv::Mat img(200, 200, CV_8UC3, cv::Scalar(255, 255, 255));
  img(cv::Rect(90, 30, 20, 140)).setTo(cv::Scalar(0, 0, 0));
  img(cv::Rect(90, 30, 20, 30)).setTo(cv::Scalar(128, 128, 128));
  return img;
}

double mean_of(const cv::Mat& m) { return cv::mean(m)[0]; }

TEST(TextLinesAngle, AnUnsureLineTurnsTheWayItsSureNeighboursRead) {
  // A card's rows at 131 degrees; its number (the long line) classified upside down at 0.94, its
  // neighbours surely upright.
  const std::vector<cv::RotatedRect> card = {{{674, 298}, {334, 43}, 131},
                                             {{864, 240}, {182, 30}, 132},
                                             {{909, 263}, {184, 37}, 132},
                                             {{928, 315}, {112, 44}, 129},
                                             {{872, 190}, {90, 34}, 130}};
  auto flip = follow_neighbours_turn(card, {0.94f, 0.0001f, 0.0003f, 0.002f, 0.0002f});
  EXPECT_LT(flip[0], 0.5f);
  EXPECT_LT(flip[1], 0.02f);
  // Sure itself: it stays (a card turned the other way beside it).
  flip = follow_neighbours_turn(card, {0.995f, 0.0001f, 0.0003f, 0.002f, 0.0002f});
  EXPECT_GT(flip[0], 0.5f);
  // One sure neighbour is not many; neighbours that disagree among themselves decide nothing.
  EXPECT_GT(follow_neighbours_turn({card[0], card[1]}, {0.94f, 0.0001f})[0], 0.5f);
  EXPECT_GT(follow_neighbours_turn(card, {0.94f, 0.0001f, 0.999f, 0.002f, 0.0002f})[0], 0.5f);
  // Lines across it (a card standing beside) or far away are no neighbours.
  const std::vector<cv::RotatedRect> apart = {{{674, 298}, {334, 43}, 131},
                                              {{864, 240}, {182, 30}, 41},
                                              {{909, 263}, {184, 37}, 42},
                                              {{2000, 1500}, {112, 44}, 129},
                                              {{2100, 1600}, {90, 34}, 130}};
  EXPECT_GT(follow_neighbours_turn(apart, {0.94f, 0.0001f, 0.0003f, 0.002f, 0.0002f})[0], 0.5f);
}

TEST(TextLinesCrop, RotatedBoxCropsAlongItsReadingDirection) {
  const cv::Mat img = vertical_bar();
  // Box along the bar: 140 long, 20 thick, its long axis at 90 degrees (pointing down the image).
  const cv::RotatedRect r(cv::Point2f(100, 100), cv::Size2f(140, 20), 90);
  const cv::Mat down = crop_line(img, r, 90);
  EXPECT_EQ(down.cols, 140);
  EXPECT_EQ(down.rows, 20);
  // Read downwards: the grey top of the bar is at the left end of the crop.
  EXPECT_NEAR(mean_of(down(cv::Rect(2, 2, 20, 16))), 128, 6);
  EXPECT_LT(mean_of(down(cv::Rect(118, 2, 20, 16))), 6);
  // Read upwards (270): the same box, the grey end now on the right.
  const cv::Mat up = crop_line(img, r, 270);
  EXPECT_EQ(up.cols, 140);
  EXPECT_EQ(up.rows, 20);
  EXPECT_LT(mean_of(up(cv::Rect(2, 2, 20, 16))), 6);
  EXPECT_NEAR(mean_of(up(cv::Rect(118, 2, 20, 16))), 128, 6);
  // The same rectangle described with width and height swapped gives the same crop.
  const cv::Mat swapped = crop_line(img, cv::RotatedRect(cv::Point2f(100, 100), cv::Size2f(20, 140), 0), 90);
  ASSERT_EQ(swapped.size(), down.size());
  EXPECT_LT(cv::norm(swapped, down, cv::NORM_INF), 2);
  // Read across (0 degrees), the crop is taller than wide.
  const cv::Mat across = crop_line(img, r, 0);
  EXPECT_EQ(across.cols, 20);
  EXPECT_EQ(across.rows, 140);
}

TEST(TextLinesCrop, PaddingLengthensTheCrop) {
  const cv::Mat img = vertical_bar();
  const cv::Mat padded =
      crop_line(img, cv::RotatedRect(cv::Point2f(100, 100), cv::Size2f(140, 20), 90), 90, 0.5f);
  EXPECT_EQ(padded.cols, 150);
  EXPECT_EQ(padded.rows, 20);
}

TEST(TextLinesFrame, UprightLine) {
  TextLine l = make_line(box(300, 200, 100, 20, 0), 0);
  EXPECT_FLOAT_EQ(l.angle_deg, 0);
  EXPECT_NEAR(l.x0, 250, 1e-3);
  EXPECT_NEAR(l.x1, 350, 1e-3);
  EXPECT_NEAR(l.y0, 190, 1e-3);
  EXPECT_NEAR(l.y1, 210, 1e-3);
  const Quad q = l.quad();
  EXPECT_NEAR(q[0].x, 250, 1e-3);
  EXPECT_NEAR(q[0].y, 190, 1e-3);
  EXPECT_NEAR(q[2].x, 350, 1e-3);
  EXPECT_NEAR(q[2].y, 210, 1e-3);
  const Quad right_half = l.quad_between(0.5f, 1.f);
  EXPECT_NEAR(right_half[0].x, 300, 1e-3);
  EXPECT_NEAR(right_half[3].x, 300, 1e-3);
  EXPECT_NEAR(right_half[1].x, 350, 1e-3);
}

TEST(TextLinesFrame, RotatedLineIsUprightInItsFrame) {
  // A 100x20 line turned 30 degrees: in a frame turned 30 degrees it is 100 wide and 20 tall again.
  TextLine l = make_line(box(300, 200, 100, 20, 30), 30);
  EXPECT_NEAR(l.angle_deg, 30, 1e-4);
  EXPECT_FLOAT_EQ(l.frame_angle_deg, 30);
  EXPECT_NEAR(l.width(), 100, 1e-2);
  EXPECT_NEAR(l.height(), 20, 1e-2);
  // Its centre is the image centre rotated by -30 degrees about the origin.
  const float c = std::cos(-30 * CV_PI / 180), s = std::sin(-30 * CV_PI / 180);
  EXPECT_NEAR(l.cx(), c * 300 - s * 200, 1e-2);
  EXPECT_NEAR(l.cy(), s * 300 + c * 200, 1e-2);
  // Its quad starts at the left-top of the upright text: up and left of the centre.
  const Quad q = l.quad();
  EXPECT_NEAR(q[0].x, 300 - 50 * std::cos(CV_PI / 6) + 10 * std::sin(CV_PI / 6), 1e-2);
  EXPECT_NEAR(q[0].y, 200 - 50 * std::sin(CV_PI / 6) - 10 * std::cos(CV_PI / 6), 1e-2);
  // In an unrotated frame the same box is wider and taller.
  place_in_frame(l, 0);
  EXPECT_GT(l.height(), 50);
}

TEST(TextLinesFrame, UpsideDownLineReadsRightToLeftInTheImage) {
  TextLine l = make_line(box(300, 200, 100, 20, 0), 180);
  EXPECT_NEAR(std::fabs(angle_diff(l.angle_deg, 180)), 0, 1e-4);
  const Quad q = l.quad();
  // Left-top of the upside-down text is the right-bottom of the box in the image.
  EXPECT_NEAR(q[0].x, 350, 1e-3);
  EXPECT_NEAR(q[0].y, 210, 1e-3);
  EXPECT_NEAR(l.width(), 100, 1e-2);
}

TextLine framed(float x0, float x1, float y0, float y1) {
  TextLine l;
  l.x0 = x0, l.x1 = x1, l.y0 = y0, l.y1 = y1;
  return l;
}

TEST(GroupRows, BoxesOverlappingAtOneHeightAreOneRowLeftToRight) {
  // An address row boxed as 宁夏回族 (its box running on over the next character), that character
  // boxed again on its own, and the rest of the row; the centres within 2 px of each other.
  const std::vector<TextLine> lines = {framed(331, 520, 276, 316), framed(310, 330, 284, 310),
                                       framed(203, 335, 277, 319), framed(205, 480, 314, 352)};
  const auto rows = group_rows(lines, {0, 1, 2, 3});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].lines, (std::vector<size_t>{2, 1, 0}));
  EXPECT_EQ(rows[1].lines, (std::vector<size_t>{3}));
}

TEST(GroupRows, TallBoxesHalfARowApartAreTwoRows) {
  // Tightly set address lines: boxes 40 px tall whose centres are 19 px apart, one above the other.
  const std::vector<TextLine> lines = {framed(200, 500, 100, 140), framed(200, 420, 119, 159)};
  const auto rows = group_rows(lines, {0, 1});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].lines, (std::vector<size_t>{0}));
  EXPECT_EQ(rows[1].lines, (std::vector<size_t>{1}));
}

TEST(TextLinesFindChars, FindsARunOfCharactersWithTheirPlaces) {
  TextLine l;
  l.text = "签发中华人民共和国";
  l.char_x = {0.05f, 0.15f, 0.25f, 0.35f, 0.45f, 0.55f, 0.65f, 0.75f, 0.85f};
  const auto span = l.find_chars("中华人民共和国");
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->first, 2u);
  EXPECT_EQ(span->second, 8u);
  EXPECT_FALSE(l.find_chars("居民身份证").has_value());
  EXPECT_FALSE(l.find_chars("").has_value());
  l.char_x.pop_back();  // places not one per character: no span can be placed
  EXPECT_FALSE(l.find_chars("中华").has_value());
}

}  // namespace
}  // namespace idcard
