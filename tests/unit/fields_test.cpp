#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "idcard/back_fields.h"
#include "idcard/card_placement.h"
#include "idcard/field_text.h"
#include "idcard/front_fields.h"

namespace idcard {
namespace {

// Synthetic recognised lines on an 856x540 card (GA 450 proportions), optionally turned by
// `rot` degrees about the card's centre as a photo would show it.
constexpr float kCardCx = 428, kCardCy = 270;

// Pitch of a printed character: CJK characters are wider than digits and dots.
float pitch(const std::string& ch) { return ch.size() == 1 ? 27.f : 32.f; }

// A line "label + value": label characters from x_label, value characters from x_value (card px),
// centred at cy. An empty label gives a value-only line starting at x_value.
TextLine card_line(const std::string& label, const std::string& value, float x_label, float x_value, float cy,
                   float h = 30, float rot = 0) {
  std::vector<float> centres;
  float x = x_label;
  for (const auto& ch : utf8_chars(label)) centres.push_back(x + pitch(ch) / 2), x += pitch(ch);
  x = x_value;
  for (const auto& ch : utf8_chars(value)) centres.push_back(x + pitch(ch) / 2), x += pitch(ch);
  const float x0 = label.empty() ? x_value : x_label, x1 = x;
  TextLine l;
  l.text = label + value;
  l.confidence = 0.9f;
  for (float c : centres) {
    l.char_x.push_back((c - x0) / (x1 - x0));
    l.char_confidence.push_back(0.9f);
  }
  const float r = rot * static_cast<float>(CV_PI) / 180, dx = (x0 + x1) / 2 - kCardCx, dy = cy - kCardCy;
  const cv::Point2f centre(kCardCx + std::cos(r) * dx - std::sin(r) * dy,
                           kCardCy + std::sin(r) * dx + std::cos(r) * dy);
  l.box = cv::RotatedRect(centre, cv::Size2f(x1 - x0, h), rot);
  l.angle_deg = rot;
  place_in_frame(l, rot);
  return l;
}

TextLine value_line(const std::string& text, float x, float cy, float h = 30, float rot = 0) {
  return card_line("", text, x, x, cy, h, rot);
}

const std::string kId = "440304199001021239";  // born 1990-01-02, male; checksum right

// The front as a detector usually splits it: label and value in one box, 民族 apart from 性别.
std::vector<TextLine> front(float rot = 0) {
  return {card_line("姓名", "张三", 51, 154, 65, 30, rot),
          card_line("性别", "男", 51, 154, 135, 30, rot),
          card_line("民族", "汉", 260, 330, 135, 30, rot),
          card_line("出生", "1990年1月2日", 51, 154, 200, 30, rot),
          card_line("住址", "广东省深圳市福田区", 51, 154, 265, 30, rot),
          value_line("深南大道1001号", 154, 300, 30, rot),
          value_line("公民身份号码", 51, 460, 30, rot),
          value_line(kId, 300, 460, 30, rot)};
}

IdReading reading(const std::string& text) { return IdReading{text, 0.95f, false}; }

void expect_front(const FrontFields& f) {
  EXPECT_EQ(f.name.text, "张三");
  EXPECT_EQ(f.gender.text, "男");
  EXPECT_EQ(f.nationality.text, "汉");
  EXPECT_EQ(f.birth.text, "19900102");
  EXPECT_EQ(f.addr.text, "广东省深圳市福田区深南大道1001号");
  EXPECT_EQ(f.id.text, kId);
}

TEST(CardLayoutFront, UprightCard) {
  const auto lines = front();
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 7u);
  EXPECT_FLOAT_EQ(span->from, 0.f);
  EXPECT_FLOAT_EQ(span->to, 1.f);
  const FrontFields f = assign_front(lines, *span, reading(kId));
  expect_front(f);
  EXPECT_FLOAT_EQ(f.id.confidence, 0.95f);
  EXPECT_NEAR(f.name.confidence, 0.9f, 1e-5);
  // The name's quad starts between the label and the value (label ends at 115, value at 154).
  EXPECT_NEAR(f.name.quad[0].x, (99.f + 170.f) / 2, 0.5);
  EXPECT_NEAR(f.name.quad[0].y, 50, 0.5);
  // The address quad covers both of its lines.
  EXPECT_NEAR(f.addr.quad[0].y, 250, 0.5);
  EXPECT_NEAR(f.addr.quad[2].y, 315, 0.5);
  // The card estimated from the number line is the card (within a few pixels).
  EXPECT_NEAR(f.card_quad[0].x, 0, 8);
  EXPECT_NEAR(f.card_quad[0].y, 0, 8);
  EXPECT_NEAR(f.card_quad[2].x, 856, 8);
  EXPECT_NEAR(f.card_quad[2].y, 540, 8);
}

// Tightly set address lines whose boxes are taller than their pitch (a blurred photo): the second
// line's box starts above the first's centre, and its x0 a pixel left of it; still two rows.
TEST(CardLayoutFront, StackedAddressLinesKeepTheirOrder) {
  auto lines = front();
  lines[4] = value_line("广东省深圳市福田区", 155, 262, 46);
  lines[5] = value_line("深南大道1001号", 154, 282, 44);
  lines.push_back(value_line("住址", 51, 270, 30));
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).addr.text, "广东省深圳市福田区深南大道1001号");
}

TEST(CardLayoutFront, SpecksBeforeTheAddressAndDigitNamesAreDropped) {
  auto lines = front();
  lines[0] = value_line("2", 154, 65);                                // the name row read as a digit only
  lines[4] = card_line("住址", "1广东省深圳市福田区", 51, 140, 265);  // a speck of the label column
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_FALSE(f.name.found()) << f.name.text;
  EXPECT_EQ(f.addr.text, "广东省深圳市福田区深南大道1001号");
}

// A label read whole ends the label column: a value printed (or placed, the card's estimate a
// little off) nearer the label than the template says keeps its first character.
TEST(CardLayoutFront, AWholeLabelKeepsTheValuesFirstCharacter) {
  auto lines = front();
  lines[0] = card_line("姓名", "张三", 51, 120, 65);  // 张's centre (136) left of the value column
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).name.text, "张三");
}

// The label detected as its own box: the value box right of it holds no label, however far left
// a card placed a little off puts it (a keystone's shear moves the top rows left). Before, 侯晖 at
// x 95 lost 侯 to the label column and was answered 晖.
TEST(CardLayoutFront, AValueRightOfItsLabelsOwnBoxKeepsItsFirstCharacters) {
  auto lines = front();
  lines[0] = value_line("姓名", 20, 65);
  lines.push_back(value_line("张三", 95, 65));
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).name.text, "张三");
}

// A blurred year one digit off the checked number's (1980 of 1990) is the number's where the reader
// considered that digit too; a year it saw alone stands (the card and its number disagree).
TEST(CardLayoutFront, ABirthOneDigitOffIsTheNumbersWhereTheReaderConsideredIt) {
  auto lines = front();
  lines[3] = card_line("出生", "1980年1月2日", 51, 154, 200);
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).birth.text, "19800102");
  lines[3].char_alts.resize(utf8_chars(lines[3].text).size());
  lines[3].char_alts[4] = {{"8", 0.7f}, {"9", 0.2f}};  // 出生1980…: the year's third digit
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).birth.text, "19900102");
  // So is a day (2 blurred, read 8): where the reader considered the number's digit, the number's.
  lines[3] = card_line("出生", "1990年1月8日", 51, 154, 200);
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).birth.text, "19900108");
  lines[3].char_alts.resize(utf8_chars(lines[3].text).size());
  lines[3].char_alts[9] = {{"8", 0.7f}, {"2", 0.2f}};  // 出生1990年1月8日: the day
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).birth.text, "19900102");
}

// A form's table beside the card, turned alike, prints a number too: every number line is found,
// the longest run first, equals in the lines' order (find_id_line's choice first).
TEST(CardLayoutFront, EveryNumberLineOfAGroupIsFound) {
  auto lines = front();
  lines.insert(lines.begin(), value_line("号码52263419810414070X", 600, 65));
  lines.push_back(value_line("1101011990010112", 600, 400));  // 16 digits: a bank card's, no number
  lines.push_back(value_line("3378112011031424", 600, 450));
  lines.back().text += "0";  // 17: one lost to glare
  const auto spans = find_id_lines(lines);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].line, 0u);
  EXPECT_EQ(spans[0].line, find_id_line(lines)->line);
  EXPECT_EQ(lines[spans[1].line].text, kId);
  EXPECT_EQ(spans[2].line, lines.size() - 1);
  EXPECT_GT(spans[0].from, 0.f);  // the label 号码 cut off
}

TEST(CardLayoutFront, RotatedCard) {
  const auto lines = front(10);
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 7u);
  expect_front(assign_front(lines, *span, reading(kId)));
}

TEST(CardLayoutFront, LabelsInTheirOwnBoxesAndDateInPieces) {
  const std::vector<TextLine> lines = {
      value_line("姓名", 51, 65),
      value_line("张三", 154, 65),
      value_line("性别", 51, 135),
      value_line("男", 154, 135),
      value_line("民族", 260, 135),
      value_line("汉", 330, 135),
      value_line("出生", 51, 200),
      value_line("1990年", 154, 200),
      value_line("1月", 300, 200),
      value_line("2日", 370, 200),
      value_line("复印无效", 200, 232),  // a stamp on a copy: never an address line
      value_line("住址", 51, 265),
      value_line("广东省深圳市福田区", 154, 265),
      value_line("深南大道1001号", 154, 300),
      value_line(kId, 300, 460)};
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, lines.size() - 1);
  expect_front(assign_front(lines, *span, reading(kId)));
}

// A label read in part names no row against the template: 住址 misread 性 (or 性址) must not make
// the address's first line the gender row (its 苗族 answered as the nationality, the line lost),
// nor 性名 for 姓名 the name row a gender row.
TEST(CardLayoutFront, ALabelReadInPartLosesToTheTemplateRow) {
  auto lines = front();
  lines[0] = card_line("性名", "张三", 51, 154, 65);
  lines[4] = value_line("贵州省黔西南布依族苗族", 154, 265);
  lines.push_back(value_line("性", 51, 265));
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.name.text, "张三");
  EXPECT_EQ(f.gender.text, "男");
  EXPECT_EQ(f.nationality.text, "汉");
  EXPECT_EQ(f.addr.text, "贵州省黔西南布依族苗族深南大道1001号");

  lines.pop_back();
  lines[4] = card_line("性址", "广西壮族自治区百色市", 51, 154, 265);
  const FrontFields g = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(g.nationality.text, "汉");
  EXPECT_EQ(g.addr.text, "广西壮族自治区百色市深南大道1001号");
}

TEST(CardLayoutFront, ADigitReadInTwoOverlappingBoxesCountsOnceWhenTheNumberSaysSo) {
  // 1997年10月10日 boxed as 1997年1 | 10月10日: the 1 of 10 read in both boxes.
  const std::string id = "450602199710101982";
  std::vector<TextLine> lines = {value_line("出生", 51, 200), value_line("1997年1", 154, 200),
                                 value_line("10月10日", 270, 200), value_line(id, 300, 460)};
  FrontFields f = assign_front(lines, IdLineSpan{3, 0, 1}, reading(id));
  EXPECT_EQ(f.birth.text, "19971010");
  // Without the number to settle it, the row says what it says.
  f = assign_front(lines, IdLineSpan{3, 0, 1}, IdReading{});
  EXPECT_EQ(f.birth.text, "19970110");
}

TEST(CardLayoutFront, RowsWithoutLabelsAreNamedByOrder) {
  const std::vector<TextLine> lines = {value_line("张三", 154, 65),
                                       card_line("性别", "男", 51, 154, 135),
                                       card_line("民族", "汉族", 260, 330, 135),
                                       value_line("1990年1月2日", 154, 200),
                                       value_line("广东省深圳市福田区", 154, 265),
                                       value_line("深南大道1001号", 154, 300),
                                       value_line(kId, 300, 460)};
  expect_front(assign_front(lines, IdLineSpan{6, 0, 1}, reading(kId)));
}

TEST(CardLayoutFront, LinesOutsideTheCardAreIgnored) {
  auto lines = front();
  lines.push_back(value_line("李四", 154, -200));  // above the card
  lines.push_back(value_line("王五", 1200, 65));   // beside it
  lines.push_back(value_line("备注", 154, 520));   // below the number
  const FrontFields f = assign_front(lines, IdLineSpan{7, 0, 1}, reading(kId));
  expect_front(f);
}

TEST(CardLayoutFindIdLine, NeedsSeventeenDigits) {
  EXPECT_FALSE(find_id_line({value_line("6222021234567890", 300, 460)}).has_value());  // bank card
  EXPECT_FALSE(find_id_line({value_line("2015061920350619", 300, 460)}).has_value());  // period, no dots
  EXPECT_FALSE(find_id_line({value_line("2015.06.19-2035.06.19", 300, 460)}).has_value());
  EXPECT_FALSE(find_id_line({value_line("610304196902A10928", 300, 460)}).has_value());  // broken run
  EXPECT_FALSE(find_id_line({}).has_value());
  EXPECT_TRUE(find_id_line({value_line("44030419900102123", 300, 460)}).has_value());  // one digit lost
  EXPECT_TRUE(find_id_line({value_line("11010519491231002x", 300, 460)}).has_value());
}

TEST(CardLayoutFindIdLine, SpecksInsideTheRunAreTolerated) {
  EXPECT_TRUE(find_id_line({value_line("6103041969021.0.0928", 300, 460)}).has_value());
  EXPECT_TRUE(find_id_line({value_line("610304 19690210 9287", 300, 460)}).has_value());
  // Specks do not count towards the 17: 16 digits with dots are still too few.
  EXPECT_FALSE(find_id_line({value_line("6103.0419.6902.1092", 300, 460)}).has_value());
}

TEST(CardLayoutFindIdLine, MergedLabelIsCutOff) {
  // "公民身份号码" + number in one box: the span starts between 码 and the first digit.
  const TextLine l = card_line("公民身份号码", kId, 51, 300, 460);
  const auto span = find_id_line({l});
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 0u);
  const float boundary = ((51 + 5 * 32 + 16) + (300 + 13.5f)) / 2;  // centres of 码 and the first digit
  EXPECT_NEAR(l.x0 + span->from * l.width(), boundary, 0.5);
  EXPECT_FLOAT_EQ(span->to, 1.f);
}

TEST(CardLayoutFindIdLine, LongestRunWinsWithoutAnExpectedPlace) {
  const std::vector<TextLine> lines = {value_line("44030419900102123", 300, 100), value_line(kId, 300, 460),
                                       value_line("6222021234567890", 300, 600)};
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 1u);
}

TEST(CardLayoutFindIdLine, ExpectedPlacePrefersTheNearestCandidate) {
  const std::vector<TextLine> lines = {value_line(kId, 300, 100), value_line("44030419900102123", 300, 460),
                                       value_line("11010519491231002X", 300, 900)};
  auto span = find_id_line(lines, cv::Point2f(540, 460));
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 1u);  // nearest, though shorter than line 0
  span = find_id_line(lines, cv::Point2f(540, 850));
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->line, 2u);
}

// The card placed from the rows a stamp leaves readable lands near the real one (856x540 at 0,0).
TEST(CardLayoutFront, CardFromLabelOrBirthRowWhenTheNumberIsHidden) {
  // Rough by nature (the layout's proportions vary by printer): it holds the card's text, and
  // is not much larger than the card (the number, once read there, places the card exactly).
  auto near_card = [](const Quad& q) {
    std::vector<cv::Point2f> poly;
    for (const auto& p : q) poly.emplace_back(p.x, p.y);
    const float w = std::hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    for (const cv::Point2f& p :
         {cv::Point2f(51, 65), cv::Point2f(800, 65), cv::Point2f(800, 460), cv::Point2f(51, 460)})
      if (cv::pointPolygonTest(poly, p, false) < 0) return false;
    return w < 1.35f * 856;
  };
  const auto by_label = front_card_from_rows({card_line("公民身份号码", "4401", 51, 300, 460)});
  ASSERT_TRUE(by_label.has_value());
  EXPECT_TRUE(near_card(*by_label));
  const auto by_birth = front_card_from_rows({card_line("出生", "1990年10月12日", 51, 154, 200)});
  ASSERT_TRUE(by_birth.has_value());
  EXPECT_TRUE(near_card(*by_birth));
  // A date inside a sentence, a date with no front label read, or no date at all, places no card.
  EXPECT_FALSE(front_card_from_rows({value_line("2005年7月27日", 154, 200)}).has_value());
  EXPECT_FALSE(front_card_from_rows({value_line("经办人：2020年8月21日", 51, 200)}).has_value());
  EXPECT_FALSE(front_card_from_rows({card_line("住址", "广东省深圳市", 51, 154, 265)}).has_value());
  // Labels too faint to read, but the gender value sits in the value column just above the date.
  const auto by_gender_row =
      front_card_from_rows({value_line("女", 154, 135), value_line("1990年10月12日", 154, 200)});
  ASSERT_TRUE(by_gender_row.has_value());
  EXPECT_TRUE(near_card(*by_gender_row));
  // 男/女 elsewhere (another column, far above) is no row of the card.
  EXPECT_FALSE(
      front_card_from_rows({value_line("女", 500, 135), value_line("1990年10月12日", 154, 200)}).has_value());
  EXPECT_FALSE(
      front_card_from_rows({value_line("女", 154, 20), value_line("1990年10月12日", 154, 200)}).has_value());
}

TEST(CardLayoutFront, NumberSpanOfABandCutToItsDigits) {
  // A band read as one line from a label piece (x=268) past the 18 digits (x=300..786) to the
  // card's edge at x=850: the line's box ends at the edge, its characters where they are printed.
  TextLine band = card_line("码", kId, 268, 300, 460);
  const float x1 = band.x1;  // the last digit's right edge
  const float x0 = band.x0, w_old = band.width(), w_new = 850 - x0;
  for (float& c : band.char_x) c = c * w_old / w_new;
  band.box = cv::RotatedRect(cv::Point2f(x0 + w_new / 2, 460), cv::Size2f(w_new, 30), 0);
  place_in_frame(band, 0);
  const auto span = find_id_line({band});
  ASSERT_TRUE(span.has_value());
  EXPECT_NEAR(band.x0 + span->to * band.width(), 850, 1);  // the run reaches the band's end
  const IdLineSpan tight = tight_number_span(band, *span);
  EXPECT_NEAR(band.x0 + tight.from * band.width(), 300, 3);
  EXPECT_NEAR(band.x0 + tight.to * band.width(), x1, 3);
}

TEST(CardLayoutFront, WholeNumberFromAPartialRunOfItsDigits) {
  // 12 of the 18 digits (27 px apart from x=300), the rest cut off: the whole spans 18 pitches.
  const auto q = number_quad_from_digits(card_line("", "440304199001", 300, 300, 460));
  ASSERT_TRUE(q.has_value());
  EXPECT_NEAR((*q)[0].x, 300, 3);
  EXPECT_NEAR((*q)[1].x, 300 + 18 * 27, 6);
  EXPECT_FALSE(number_quad_from_digits(card_line("", "4403041", 300, 300, 460)).has_value());  // too few
}

TEST(CardLayoutFront, BirthRowWhoseYearAndMonthMarksBlurred) {
  std::vector<TextLine> lines = front();
  lines[3] = value_line("1990102日", 154, 200);       // 出生 lost, 年/月 unread: digits and 日
  lines.erase(lines.begin() + 1, lines.begin() + 3);  // and no gender row above it to go by
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, IdReading{kId, 0.9f, false});
  EXPECT_EQ(f.birth.text, "19900102");
  EXPECT_EQ(f.name.text, "张三");
}

// Labels washed out and the birth row's year lost: no row says what it is, and the order of rows
// alone leaves the address unplaced; the template's place of each row on the card says it.
TEST(CardLayoutFront, RowsWithoutLabelsTakeTheTemplatesFieldAtTheirHeight) {
  const std::vector<TextLine> lines = {value_line("张三", 154, 65), value_line("1月2日", 300, 200),
                                       value_line("广东省深圳市福田区", 154, 265),
                                       value_line("深南大道1001号", 154, 300), value_line(kId, 300, 460)};
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.name.text, "张三");
  EXPECT_EQ(f.addr.text, "广东省深圳市福田区深南大道1001号");
}

// A gender value alone read as the name row's value (the name unread, the rows shifted) is no name.
TEST(CardLayoutFront, AGenderAloneIsNoName) {
  std::vector<TextLine> lines = front();
  lines[0] = card_line("姓名", "女", 51, 154, 65);
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).name.text, "");
}

TEST(CardLayoutFront, AnAddressWithDigitsAndADayIsNoBirthRow) {
  std::vector<TextLine> lines = front();
  lines[4] = value_line("山东省日照市东港区12345号", 154, 265);  // its 住址 label lost
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.birth.text, "19900102");
  EXPECT_EQ(f.addr.text.rfind("山东省日照市东港区12345号", 0), 0u);
}

TEST(CardLayoutBack, CardFromItsTitle) {
  // 中华人民共和国 spaced out from 0.355 of the width over 0.47 of it, centred at 0.20 of the
  // height (856x540 card): seven evenly spaced characters in a 422 px box.
  TextLine title = value_line("中华人民共和国", 304, 108);
  title.box = cv::RotatedRect(cv::Point2f(304 + 211, 108), cv::Size2f(422, 40), 0);
  place_in_frame(title, 0);
  const auto placed = back_card_from_title({title});
  ASSERT_TRUE(placed.has_value());
  const Quad* q = &placed->card;
  EXPECT_NEAR(placed->printed_at[0].x, 0.355f, 1e-4);  // the line it was placed from
  EXPECT_NEAR(placed->printed_at[1].x, 0.825f, 1e-4);
  const float w = std::hypot((*q)[1].x - (*q)[0].x, (*q)[1].y - (*q)[0].y);
  EXPECT_NEAR(w, 856, 160);
  EXPECT_NEAR((*q)[0].x, 0, 80);
  EXPECT_NEAR((*q)[0].y, 0, 60);
  EXPECT_FALSE(back_card_from_title({value_line("签发机关深圳市公安局", 200, 390)}).has_value());
}

// 居民身份证 letter-spaced from 0.31 of the width over 0.53 of it at 0.40 of the height, boxed a
// character at a time, one of them blurred past reading: `chars` are what was read of each box.
std::vector<TextLine> spaced_title(const std::vector<std::string>& chars, float rot) {
  std::vector<TextLine> boxes;
  const float pitch = 0.53f * 856 / 5;
  for (size_t k = 0; k < chars.size(); ++k)
    boxes.push_back(value_line(chars[k], 0.31f * 856 + pitch * static_cast<float>(k) + (pitch - 32) / 2,
                               0.40f * 540, 48, rot));
  return boxes;
}

TEST(CardLayoutBack, CardFromItsTitleBoxedACharacterAtATime) {
  for (const float rot : {0.f, 25.f}) {
    const auto placed = back_card_from_title(spaced_title({"居", "民", "身", "à", "证"}, rot));
    ASSERT_TRUE(placed.has_value()) << rot;
    // The card's top-left corner, (0, 0) upright, turned with the card about its centre.
    const float r = rot * static_cast<float>(CV_PI) / 180;
    const float want_x = kCardCx + std::cos(r) * -kCardCx - std::sin(r) * -kCardCy;
    const float want_y = kCardCy + std::sin(r) * -kCardCx + std::cos(r) * -kCardCy;
    const Quad& q = placed->card;
    EXPECT_NEAR(q[0].x, want_x, 60) << rot;
    EXPECT_NEAR(q[0].y, want_y, 60) << rot;
    EXPECT_NEAR(std::hypot(q[1].x - q[0].x, q[1].y - q[0].y), 856, 120) << rot;
  }
  // Two of five unread is no title; nor five characters of other text spaced alike.
  EXPECT_FALSE(back_card_from_title(spaced_title({"居", "民", "貝", "à", "证"}, 0)).has_value());
  EXPECT_FALSE(back_card_from_title(spaced_title({"本", "单", "位", "发", "票"}, 0)).has_value());
}

TEST(CardLayoutFront, SmallLabelPiecesLeftOfTheValuesAreNotValues) {
  std::vector<TextLine> lines = front();
  // 性别 and 民族 misread: small boxes "9" and "夏" just left of the value 男 (right of where the
  // number puts the value column, as when a printer's layout differs), 民族 lost.
  lines[1] = value_line("男", 190, 135);
  lines[2] = value_line("汉", 330, 135);
  lines.push_back(value_line("9", 130, 135, 15));
  lines.push_back(value_line("夏", 158, 135, 16));
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.gender.text, "男");
  EXPECT_EQ(f.nationality.text, "汉");
}

TEST(CardLayoutFront, ASpeckBeforeTheNationalityLabelIsNotTheNationality) {
  std::vector<TextLine> lines = front();
  // 家 read at 0.12 from a background pattern between 男 and 民族: one character off 土家.
  lines[2] = card_line("民族", "汉", 280, 350, 135);
  lines.push_back(value_line("家", 230, 135, 20));
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.gender.text, "男");
  EXPECT_EQ(f.nationality.text, "汉");
}

// What the reader considered for each character (best first, the one read among them).
void set_alternatives(TextLine& l, const std::vector<std::vector<ocr::CharChoice>>& alts) {
  l.char_alts = alts;
  l.char_alts.resize(utf8_chars(l.text).size());
}

TEST(CardLayoutFront, ANationalityTheReaderConsideredBeatsOneSpelledAlike) {
  std::vector<TextLine> lines = front();
  // 傈僳 read 保像 on a blurred photo: one character from 保安, but the reader saw 傈 and 僳.
  lines[2] = card_line("民族", "保像", 260, 330, 135);
  set_alternatives(lines[2],
                   {{}, {}, {{"保", 0.65f}, {"傈", 0.28f}}, {{"像", 0.31f}, {"僳", 0.21f}, {"傈", 0.1f}}});
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).nationality.text, "傈僳");
  // Without what the reader considered, the spelling is all there is: one character off 保安.
  lines[2].char_alts.assign(lines[2].char_alts.size(), {});
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).nationality.text, "保安");
}

TEST(CardLayoutFront, ANamesUnsureFirstCharacterIsWeighedAsASurname) {
  std::vector<TextLine> lines = front();
  lines[0] = card_line("姓名", "病心", 51, 154, 65);
  set_alternatives(lines[0], {{}, {}, {{"病", 0.29f}, {"有", 0.11f}, {"俞", 0.039f}}});
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).name.text, "俞心");
}

// A card tilted about its long axis, placed from its number: its rows lie nearer the number than
// the template prints them (the name in the gender's band), their labels unread but for specks
// (29 left of the gender). The rows above the birth row are still the name's and the gender's.
TEST(CardLayoutFront, RowsAboveTheBirthRowAreNameAndGenderWhereverTheyLie) {
  const std::vector<TextLine> lines = {value_line("张三", 154, 150),
                                       value_line("29", 118, 200, 20),
                                       value_line("男", 154, 200),
                                       value_line("汉", 330, 200),
                                       value_line("1990年1月2日", 154, 250),
                                       value_line("广东省深圳市福田区", 154, 300),
                                       value_line("深南大道1001号", 154, 335),
                                       value_line("公民身份号码", 51, 460),
                                       value_line(kId, 300, 460)};
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_EQ(f.name.text, "张三");
  EXPECT_EQ(f.gender.text, "男");
  EXPECT_EQ(f.nationality.text, "汉");
  EXPECT_EQ(f.birth.text, "19900102");
}

TEST(CardLayoutFront, ASingleCharacterValueBesideATallBoxIsKept) {
  std::vector<TextLine> lines = front();
  lines[1] = card_line("性别", "", 51, 154, 135, 19);
  lines[2] = value_line("女", 154, 135, 21);            // a lone character's box is tight
  lines.push_back(value_line("民族汉", 200, 135, 40));  // label and value boxed together, tall
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading("440304199001021247"));
  EXPECT_EQ(f.gender.text, "女");
  EXPECT_EQ(f.nationality.text, "汉");
}

TEST(CardLayoutFront, StampPiecesInTheNameRowAreNoName) {
  std::vector<TextLine> lines = front();
  lines[0] = card_line("名", "复禁", 80, 154, 65);  // the name under a 复印禁止 stamp
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  const FrontFields f = assign_front(lines, *span, reading(kId));
  EXPECT_FALSE(f.name.found());
  EXPECT_EQ(f.gender.text, "男");
}

TEST(CardLayoutFront, ANameReadWithLatinOrDigitsIsNoName) {
  std::vector<TextLine> lines = front();
  lines[0] = card_line("姓名", "柯级1", 51, 154, 65);  // a blurred 柯斌超
  const auto span = find_id_line(lines);
  ASSERT_TRUE(span.has_value());
  EXPECT_FALSE(assign_front(lines, *span, reading(kId)).name.found());
  lines[0] = card_line("姓名", "阿依古丽·买买提", 51, 154, 65);  // the middle dot is a name's
  EXPECT_EQ(assign_front(lines, *span, reading(kId)).name.text, "阿依古丽·买买提");
}

TEST(CardLayoutFront, CountsFrontLabels) {
  EXPECT_EQ(count_front_labels({value_line("姓名张三", 51, 65), value_line("性别男民族汉", 51, 135)}), 3);
  EXPECT_EQ(count_front_labels({value_line("出生1990年1月2日", 51, 200), value_line("住址广东省", 51, 265)}),
            2);
  EXPECT_EQ(count_front_labels({value_line("姓名张三", 51, 65), value_line("姓名", 51, 65)}),
            1);  // once each
  EXPECT_EQ(count_front_labels({value_line("签发机关深圳市公安局", 51, 65), value_line("有效期限", 51, 135)}),
            0);
}

TEST(CardLayoutFront, FrontSignatureWithoutTheNumber) {
  std::vector<TextLine> lines = front();
  lines.pop_back();  // the number line: under a stamp
  EXPECT_TRUE(has_front_signature(lines));
  // A form with two of the labels, or labels without a birth row, is no front.
  EXPECT_FALSE(has_front_signature({value_line("姓名张三", 51, 65), value_line("性别男", 51, 135),
                                    value_line("2020年8月21日", 154, 200)}));
  EXPECT_FALSE(has_front_signature({value_line("姓名张三", 51, 65), value_line("性别男民族汉", 51, 135),
                                    value_line("住址广东省深圳市", 51, 265)}));
}

// The back: title at the top, 签发机关 and 有效期限 rows near the bottom.
std::vector<TextLine> back(const std::string& authority_line, const std::string& period, float rot = 0) {
  return {value_line("中华人民共和国", 330, 90, 40, rot), value_line("居民身份证", 300, 170, 50, rot),
          value_line(authority_line, 140, 410, 28, rot),
          card_line("有效期限", period, 140, 270, 465, 28, rot)};
}

TEST(CardLayoutBack, AuthorityAboveThePeriod) {
  const auto b = assign_back(back("签发机关深圳市公安局福田分局", "2015.06.19-2035.06.19"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "深圳市公安局福田分局");
  EXPECT_EQ(b->valid_date.text, "20150619-20350619");
  // The period's quad starts after its label (期限 ends at 268, the value at 270).
  EXPECT_NEAR(b->valid_date.quad[0].x, (252.f + 283.5f) / 2, 0.5);
}

TEST(CardLayoutBack, AFormsRowsBesideTheCardAreNotItsValues) {
  // A register beside the card, turned alike, prints its holder's bureau and period with colons,
  // in longer lines than the card's own: the card's are the back's values.
  auto lines = back("签发机关深圳市公安局福田分局", "2015.06.19-2035.06.19");
  lines.push_back(value_line("签发机关：明光市公安局", 140, 620, 28));
  lines.push_back(value_line("有效期限：2023.02.09-2043.02.09", 140, 680, 28));
  const auto b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "深圳市公安局福田分局");
  EXPECT_EQ(b->valid_date.text, "20150619-20350619");
  // The form's rows alone are no back.
  EXPECT_FALSE(assign_back({lines[4], lines[5]}).has_value());
  // A front's form rows counted (a card's own labels are not).
  EXPECT_EQ(count_form_labels({value_line("姓名：吕月", 51, 65),
                               value_line("身份证号码150523199704270929", 51, 135),
                               value_line("姓名张三", 51, 200)}),
            2);
  EXPECT_EQ(count_form_labels(front(0)), 0);
}

// What the reader put at each character's step, one step a character: a digit its own class, any
// other character blank, except where `digit_under` says which digit it put next.
void set_steps(TextLine& l, const std::map<size_t, int>& digit_under) {
  const auto chars = utf8_chars(l.text);
  l.char_step.clear();
  l.id_steps.clear();
  for (size_t i = 0; i < chars.size(); ++i) {
    ocr::IdStep p{};
    const bool digit = chars[i].size() == 1 && chars[i][0] >= '0' && chars[i][0] <= '9';
    p[digit ? static_cast<size_t>(chars[i][0] - '0' + 1) : 0] = 0.6f;
    if (const auto it = digit_under.find(i); it != digit_under.end())
      p[static_cast<size_t>(it->second + 1)] = 0.3f;
    l.char_step.push_back(static_cast<int>(i));
    l.id_steps.push_back(p);
  }
}

TEST(CardLayoutBack, ALetterReadInThePeriodIsTheDigitTheReaderSawThere) {
  // 2010.0T.21: the T is 7 at its step (有效期限 then 2010.0 before it: character 10).
  auto lines = back("签发机关兴仁市公安局", "2010.0T.21-2015.07.21");
  set_steps(lines.back(), {{10, 7}});
  auto b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->valid_date.text, "20100721-20150721");
  // A Chinese character there is no digit's misreading: nothing parses, no period.
  lines = back("签发机关兴仁市公安局", "2010.0期.21-2015.07.21");
  set_steps(lines.back(), {{10, 7}});
  b = assign_back(lines);
  EXPECT_FALSE(b.has_value() && !b->valid_date.text.empty());
}

TEST(CardLayoutBack, APeriodsDaysAgreeOnTheDigitReadSurer) {
  // 20230128-20430120: the end's last digit read unsure (0.4), the start's sure: the start's day.
  auto lines = back("签发机关兴仁市公安局", "2023.01.28-2043.01.20");
  lines.back().char_confidence.back() = 0.4f;
  auto b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->valid_date.text, "20230128-20430128");
  // The start's digit the unsure one: the end's day.
  lines = back("签发机关兴仁市公安局", "2023.01.28-2043.01.20");
  lines.back().char_confidence[4 + 9] = 0.4f;  // 有效期限 then 2023.01.2 before it
  b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->valid_date.text, "20230120-20430120");
  // Days differing in two digits, or a span no card has, are left as read.
  EXPECT_EQ(assign_back(back("签发机关兴仁市公安局", "2023.01.28-2043.02.20"))->valid_date.text,
            "20230128-20430220");
  EXPECT_EQ(assign_back(back("签发机关兴仁市公安局", "2023.01.28-2041.01.20"))->valid_date.text,
            "20230128-20410120");
}

TEST(CardLayoutBack, AuthorityAloneWhenThePeriodDoesNotRead) {
  // The period's end under glare: 2021.09.08 alone does not parse; the bureau's row still reads.
  std::vector<TextLine> lines = back("签发机关惠来县公安局", "");
  lines.back() = card_line("有效期限", "2021.09.08", 140, 270, 465);
  EXPECT_FALSE(assign_back(lines).has_value());
  const auto b = assign_back_without_period(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "惠来县公安局");
  EXPECT_FALSE(b->valid_date.found());
  // The label misread (整据机关) still names the row.
  EXPECT_TRUE(assign_back_without_period(back("整据机关深圳市公安局福田分局", "")).has_value());
  // No 签发机关 label, a value naming no bureau, or no title: nothing.
  EXPECT_FALSE(assign_back_without_period(back("深圳市公安局", "")).has_value());
  // ... unless both titles read where a card prints them: the row below is the bureau's.
  const auto untitled = assign_back_without_period(back("深圳市公安局", ""), /*titles_in_place=*/true);
  ASSERT_TRUE(untitled.has_value());
  EXPECT_EQ(untitled->authority.text, "深圳市公安局");
  EXPECT_FALSE(assign_back_without_period(back("深圳市人民政府", ""), /*titles_in_place=*/true).has_value());
  EXPECT_FALSE(assign_back_without_period(back("签发机关深圳市人民政府", "")).has_value());
  EXPECT_FALSE(assign_back_without_period({value_line("签发机关惠来县公安局", 140, 410)}).has_value());
  // The card's right edge outside the picture: its title cut to 居民身份, its period cut short.
  lines = back("签发机关丁青县公安局", "");
  lines[1] = value_line("居民身份", 300, 170, 50);
  lines.back() = card_line("有效期限", "2024.05.09-2034.05", 140, 270, 465);
  const auto cut = assign_back_without_period(lines);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->authority.text, "丁青县公安局");
  EXPECT_FALSE(cut->valid_date.found());
}

TEST(CardLayoutBack, LongTermPeriod) {
  const auto b = assign_back(back("签发机关某某县公安局", "2010.03.01-长期"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "某某县公安局");
  EXPECT_EQ(b->valid_date.text, "20100301-长期");
}

// A bureau boxed in two pieces over a 长期 period, the second starting past the period's end
// (营口市公安局 | 鲅鱼圈分局 above 2005.05.17-长期): both are the bureau's row.
TEST(CardLayoutBack, ABureauRunningOnPastAShortPeriodIsReadWhole) {
  // Boxes 45 px tall (text 30 px and the detector's margin) on a card about 820 px wide.
  auto lines = back("", "");
  lines[2] = value_line("签发机关营口市公安局", 140, 400, 45);
  lines[3] = card_line("有效期限", "2005.05.17-长期", 140, 270, 465, 45);
  lines.push_back(value_line("鲅鱼圈分局", 650, 400, 45));
  for (auto& l : lines) place_in_frame(l, 0);
  const auto b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_GT(650.f, lines[3].x1);  // the piece starts past the period's end
  EXPECT_EQ(b->authority.text, "营口市公安局鲅鱼圈分局");
}

TEST(CardLayoutBack, MisreadLabelIsStillStripped) {
  auto b = assign_back(back("整发机关某某县公安局", "2015.06.19-2035.06.19"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "某某县公安局");
  b = assign_back(back("签岌机关某某县公安局", "2015.06.19-2035.06.19"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "某某县公安局");
}

// Bug: label_end("签发机美…", "签发机关") matches the label with its last character dropped (3), so
// authority_label_end never reaches its own rule for 签发机美 and the misread 美 is kept.
TEST(CardLayoutBack, LabelWithItsLastCharacterMisreadIsStripped) {
  const auto b = assign_back(back("签发机美某某县公安局", "2015.06.19-2035.06.19"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "某某县公安局");
}

TEST(CardLayoutBack, LabelInItsOwnBox) {
  const std::vector<TextLine> lines = {value_line("签发机关", 140, 410, 28),
                                       value_line("某某县公安局", 290, 410, 28),
                                       card_line("有效期限", "2015.06.19-2035.06.19", 140, 270, 465, 28)};
  const auto b = assign_back(lines);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "某某县公安局");
}

TEST(CardLayoutBack, TitleIsNeverTheAuthority) {
  // The authority row unread; the title happens to sit just above the period.
  for (const std::string title : {"居民身份证", "中华人民共和国", "中华人民共和国居民身份证"}) {
    const std::vector<TextLine> lines = {value_line(title, 140, 410, 28),
                                         card_line("有效期限", "2015.06.19-2035.06.19", 140, 270, 465, 28)};
    const auto b = assign_back(lines);
    ASSERT_TRUE(b.has_value()) << title;
    EXPECT_FALSE(b->authority.found()) << title << " -> " << b->authority.text;
    EXPECT_EQ(b->valid_date.text, "20150619-20350619");
  }
}

TEST(CardLayoutBack, RotatedCard) {
  const auto b = assign_back(back("签发机关深圳市公安局福田分局", "2010.03.01-长期", 10));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->authority.text, "深圳市公安局福田分局");
  EXPECT_EQ(b->valid_date.text, "20100301-长期");
}

TEST(CardLayoutBack, NoPeriodNoBack) {
  EXPECT_FALSE(assign_back({value_line("签发机关某某县公安局", 140, 410, 28)}).has_value());
  EXPECT_FALSE(assign_back({}).has_value());
}

}  // namespace
}  // namespace idcard
