// The reading stages with a fake line reader (no models): locate (find_cards), rectify and read a
// front (read_front) or a back (read_back), assign by the template.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "fake_line_reader.h"
#include "idcard/card_placement.h"
#include "idcard/card_template.h"
#include "idcard/find_cards.h"
#include "idcard/read_back.h"
#include "idcard/read_front.h"

namespace idcard {
namespace {

using testing::FakeLineReader;
using testing::Printed;

// A front as GA 450 prints it, in fractions of the card (label column, values, the number).
std::vector<Printed> front_lines() {
  return {
      {"姓名", 0.06f, 0.14f, 0.16f, 0.05f},          {"韩梅梅", 0.18f, 0.33f, 0.16f, 0.055f},
      {"性别", 0.06f, 0.14f, 0.285f, 0.05f},         {"女", 0.18f, 0.22f, 0.285f, 0.05f},
      {"民族", 0.36f, 0.44f, 0.285f, 0.05f},         {"汉", 0.47f, 0.51f, 0.285f, 0.05f},
      {"出生", 0.06f, 0.14f, 0.405f, 0.05f},         {"1990年1月1日", 0.18f, 0.52f, 0.405f, 0.05f},
      {"住址", 0.06f, 0.14f, 0.53f, 0.05f},          {"北京市东城区景山前街4号", 0.18f, 0.60f, 0.53f, 0.05f},
      {"公民身份号码", 0.06f, 0.30f, 0.85f, 0.045f}, {"11010119900101124X", 0.345f, 0.915f, 0.85f, 0.06f}};
}

std::vector<Printed> back_lines() {
  return {{"中华人民共和国", 0.355f, 0.825f, 0.20f, 0.07f},
          {"居民身份证", 0.31f, 0.84f, 0.40f, 0.11f},
          {"签发机关", 0.2f, 0.36f, 0.72f, 0.05f},
          {"北京市公安局东城分局", 0.40f, 0.80f, 0.72f, 0.05f},
          {"有效期限", 0.2f, 0.36f, 0.875f, 0.05f},
          {"2015.06.19-2035.06.19", 0.40f, 0.82f, 0.875f, 0.05f}};
}

// A plain picture (no outline shows on it: the card is placed from its text alone) and the card's
// place in it.
struct Scene {
  cv::Mat picture{700, 1000, CV_8UC3, cv::Scalar(255, 255, 255)};
  ocr::TextMap no_map;
  std::vector<TextLine> no_lines;
  Quad card{Point{100, 100}, Point{956, 100}, Point{956, 640}, Point{100, 640}};
  SourceImage source() const { return {picture, no_map, no_lines}; }
};

bool inside(const Quad& card, const Quad& q) {
  for (const Point& p : q)
    if (p.x < card[0].x - 2 || p.x > card[1].x + 2 || p.y < card[0].y - 2 || p.y > card[3].y + 2)
      return false;
  return true;
}

TEST(ReadFront, ReadsEveryFieldFromTheTemplatesRows) {
  const Scene s;
  const FakeLineReader reader({}, front_lines());
  const FrontRead read = read_front(reader, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  const FrontFields& f = *read.fields;
  EXPECT_EQ(f.name.text, "韩梅梅");
  EXPECT_EQ(f.gender.text, "女");
  EXPECT_EQ(f.nationality.text, "汉");
  EXPECT_EQ(f.birth.text, "19900101");
  EXPECT_EQ(f.addr.text, "北京市东城区景山前街4号");
  EXPECT_EQ(f.id.text, "11010119900101124X");
  EXPECT_EQ(read.id.text, "11010119900101124X");
  EXPECT_TRUE(read.rows_in_place);
  EXPECT_FALSE(read.outlined);  // a white picture shows no edge: placed from the number alone
  EXPECT_GE(read.labels, 5);
  // Positions come back in the picture's pixels, on the card.
  for (const Field* field : {&f.name, &f.addr, &f.id}) EXPECT_TRUE(inside(s.card, field->quad));
  const float name_y = (f.name.quad[0].y + f.name.quad[3].y) / 2;
  EXPECT_NEAR(name_y, 100 + 0.16f * 540, 6.f);
}

// A speck between the birth row's groups read as a digit, unsure: the row without it reads the
// checked number's date; read sure, the row says what it says (the number only confirms it).
TEST(ReadFront, AnUnsureSpeckInTheBirthRowIsNotAMonth) {
  auto with_speck = [](float confidence) {
    std::vector<Printed> lines;
    for (Printed p : front_lines()) {
      if (p.text == "11010119900101124X") p.text = "110101199001011245";  // its check character holds
      if (p.text != "1990年1月1日") {
        lines.push_back(p);
        continue;
      }
      lines.push_back({"1990年", 0.18f, 0.29f, 0.405f, 0.05f});
      lines.push_back({"5", 0.31f, 0.33f, 0.405f, 0.05f, "", false, confidence});
      lines.push_back({"1月1日", 0.35f, 0.52f, 0.405f, 0.05f});
    }
    return lines;
  };
  const Scene s;
  const FakeLineReader unsure({}, with_speck(0.26f));
  const FrontRead read = read_front(unsure, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->birth.text, "19900101");
  const FakeLineReader sure({}, with_speck(0.99f));
  const FrontRead sure_read = read_front(sure, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(sure_read.fields.has_value());
  EXPECT_NE(sure_read.fields->birth.text, "19900101");
}

// The recognizer is chosen by what the fast one read, not by the row: a line holding a name or an
// address goes to the full reader even when the fast one read a look-alike surely, wherever it is.
TEST(ReadFront, FreeTextGoesToTheFullReaderWhateverTheFastOneSaid) {
  std::vector<Printed> lines = front_lines();
  for (Printed& p : lines) {
    if (p.text == "北京市东城区景山前街4号")
      p.text = "北京市东城区赜山前街4号", p.fast_text = "北京市东城区啧山前街4号";
    if (p.text == "汉") p.text = "佤", p.fast_text = "伍";  // not a nationality: read again
  }
  const Scene s;
  const FakeLineReader reader({}, lines);
  const FrontRead read = read_front(reader, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->addr.text, "北京市东城区赜山前街4号");
  EXPECT_EQ(read.fields->nationality.text, "佤");
  EXPECT_EQ(read.fields->gender.text, "女");
}

// A row the fast reader read as digits and punctuation no card prints (5/]503 for 5门503): the
// full reader reads it again.
TEST(ReadFront, PunctuationNoCardPrintsGoesToTheFullReader) {
  std::vector<Printed> lines = front_lines();
  lines.push_back({"5门503", 0.18f, 0.30f, 0.60f, 0.05f, "5/]503"});
  const Scene s;
  const FrontRead read =
      read_front(FakeLineReader({}, lines), s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->addr.text, "北京市东城区景山前街4号5门503");
}

// Glare over the start of the address: the detector boxes it from its fourth character on; the
// row's band from the values' column reads the rest, and the address is whole.
TEST(ReadFront, AnAddressRowStartingLateIsReadFromTheValuesColumn) {
  std::vector<Printed> lines;
  for (const Printed& p : front_lines()) {
    if (p.text != "北京市东城区景山前街4号") {
      lines.push_back(p);
      continue;
    }
    lines.push_back({"北京市", 0.18f, 0.29f, 0.53f, 0.05f, "", /*glare=*/true});
    lines.push_back({"东城区景山前街4号", 0.29f, 0.60f, 0.53f, 0.05f});
  }
  const Scene s;
  const FakeLineReader reader({}, lines);
  const FrontRead read = read_front(reader, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->addr.text, "北京市东城区景山前街4号");
  // The address's place starts where the band did, near the values' column.
  const float left = read.fields->addr.quad[0].x;
  EXPECT_NEAR(left, 100 + 0.175f * 856, 15.f);
}

TEST(ReadFront, AFormsRowsAreNotWhereTheTemplatePrintsThem) {
  // The same labels and values as a form prints them: evenly spaced rows above the number.
  std::vector<Printed> form = front_lines();
  for (Printed& p : form)
    if (p.cy < 0.8f) p.cy = 0.45f + 0.55f * p.cy;  // squeezed towards the number
  const Scene s;
  const FakeLineReader reader({}, form);
  const FrontRead read = read_front(reader, s.source(), s.card, FrontPlacement::kFromNumber);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_FALSE(read.rows_in_place);
}

// A front's lines as a fake detector boxes them on the canonical warp, read; the number among them.
struct WarpRead {
  std::vector<TextLine> lines;
  TextLine number;
};
WarpRead read_on_warp(const std::vector<Printed>& printed) {
  const FakeLineReader reader({}, printed);
  WarpRead w{reader.detect_lines(cv::Mat()), {}};
  std::vector<size_t> all(w.lines.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  reader.read(w.lines, all, Dictionary::kFast);
  for (const TextLine& l : w.lines)
    if (l.text == "11010119900101124X") w.number = l;
  return w;
}

// Rows above the number moved towards it by `scale` (a card tilted about its long axis).
std::vector<Printed> rows_scaled(float scale) {
  std::vector<Printed> lines = front_lines();
  for (Printed& p : lines) p.cy = 0.85f + scale * (p.cy - 0.85f);
  return lines;
}

TEST(FrontHeightScale, ATiltedCardsLabelsMeasureHowFarItsRowsLieFromTheNumber) {
  const WarpRead tilted = read_on_warp(rows_scaled(0.83f));
  const auto s = front_height_scale(tilted.lines, tilted.number);
  ASSERT_TRUE(s.has_value());
  EXPECT_NEAR(*s, 0.83f, 0.01f);
}

TEST(FrontHeightScale, RowsWhereTheTemplatePrintsThemOrAFormsPackedRowsAreNotRescaled) {
  const WarpRead upright = read_on_warp(front_lines());
  EXPECT_FALSE(front_height_scale(upright.lines, upright.number).has_value());
  const WarpRead printer = read_on_warp(rows_scaled(0.94f));  // the number printed at 0.81
  EXPECT_FALSE(front_height_scale(printer.lines, printer.number).has_value());
  const WarpRead form = read_on_warp(rows_scaled(0.45f));
  EXPECT_FALSE(front_height_scale(form.lines, form.number).has_value());
}

TEST(FrontHeightScale, OneLabelOrLabelsThatDisagreeMeasureNothing) {
  std::vector<Printed> one;
  for (const Printed& p : rows_scaled(0.83f))
    if (p.text != "性别" && p.text != "出生") one.push_back(p);
  const WarpRead alone = read_on_warp(one);
  EXPECT_FALSE(front_height_scale(alone.lines, alone.number).has_value());
  std::vector<Printed> apart = rows_scaled(0.83f);
  for (Printed& p : apart)
    if (p.text == "出生") p.cy = 0.30f;  // a row's pitch away from where the others put it
  const WarpRead disagree = read_on_warp(apart);
  EXPECT_FALSE(front_height_scale(disagree.lines, disagree.number).has_value());
}

TEST(ReadBack, ReadsTheBureauAndThePeriod) {
  const Scene s;
  const FakeLineReader reader({}, back_lines());
  const BackRead read = read_back(reader, s.source(), s.card);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->authority.text, "北京市公安局东城分局");
  EXPECT_EQ(read.fields->valid_date.text, "20150619-20350619");
}

// Glare over the period's end (长期) and the bureau's 局: the period does not read; the bureau is
// answered alone, its 局 restored (every authority is a 公安局 or its 分局), the period empty.
TEST(ReadBack, ABureauWhose局IsHiddenStandsWithoutThePeriod) {
  std::vector<Printed> lines = back_lines();
  for (Printed& p : lines) {
    if (p.text == "北京市公安局东城分局") p.text = "惠来县公安";
    if (p.text == "2015.06.19-2035.06.19") p.text = "2021.09.08-";
  }
  const Scene s;
  const BackRead read = read_back(FakeLineReader({}, lines), s.source(), s.card);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->authority.text, "惠来县公安局");
  EXPECT_EQ(read.fields->valid_date.text, "");
}

// Glare over the period's 长期 alone: the detector boxes the period up to its dash; the band from
// there to the card's edge, read again, holds the whole period.
TEST(ReadBack, APeriodsEndUnderGlareIsReadInItsBand) {
  std::vector<Printed> lines = back_lines();
  lines.pop_back();
  lines.push_back({"2021.09.08-", 0.40f, 0.62f, 0.875f, 0.05f});
  lines.push_back({"长期", 0.63f, 0.69f, 0.875f, 0.05f, "", /*glare=*/true});
  const Scene s;
  const BackRead read = read_back(FakeLineReader({}, lines), s.source(), s.card);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_EQ(read.fields->valid_date.text, "20210908-长期");
  EXPECT_EQ(read.fields->authority.text, "北京市公安局东城分局");
  // What the band reads must be a card's period from the date the line read: a dash and digits
  // of another span under the glare leave the period unanswered.
  lines.back().text = "2031.01.01";
  const BackRead other = read_back(FakeLineReader({}, lines), s.source(), s.card);
  ASSERT_TRUE(other.fields.has_value());
  EXPECT_EQ(other.fields->valid_date.text, "");
}

TEST(ReadBack, NoBureauRowNoBack) {
  const Scene s;
  const FakeLineReader reader(
      {}, {{"中华人民共和国", 0.355f, 0.825f, 0.20f, 0.07f}, {"居民身份证", 0.31f, 0.84f, 0.40f, 0.11f}});
  EXPECT_FALSE(read_back(reader, s.source(), s.card).fields.has_value());
}

// The card's outline shows (a light card on a dark desk), but only its title is legible: a finger
// over both value rows. A back all the same, both values empty (never guessed).
TEST(ReadBack, TitleInPlaceOnItsOutlineIsABackWithItsValuesHidden) {
  Scene s;
  s.picture.setTo(cv::Scalar(40, 40, 40));
  cv::rectangle(s.picture, cv::Point(100, 100), cv::Point(956, 640), cv::Scalar(235, 235, 235), cv::FILLED);
  const std::vector<Printed> title = {{"中华人民共和国", 0.355f, 0.825f, 0.20f, 0.07f},
                                      {"居民身份证", 0.31f, 0.84f, 0.40f, 0.11f}};
  const BackRead read = read_back(FakeLineReader({}, title), s.source(), s.card);
  ASSERT_TRUE(read.fields.has_value());
  EXPECT_TRUE(read.outlined);
  EXPECT_TRUE(read.fields->values_hidden());
  EXPECT_EQ(read.fields->authority.text, "");
  EXPECT_EQ(read.fields->valid_date.text, "");
  // The same words elsewhere on the outline (a form naming the card, a line lower down): no back.
  const std::vector<Printed> moved = {{"中华人民共和国", 0.355f, 0.825f, 0.45f, 0.07f},
                                      {"居民身份证", 0.31f, 0.84f, 0.65f, 0.11f}};
  EXPECT_FALSE(read_back(FakeLineReader({}, moved), s.source(), s.card).fields.has_value());
  // One title line alone is not enough.
  EXPECT_FALSE(read_back(FakeLineReader({}, {title[1]}), s.source(), s.card).fields.has_value());
}

TEST(FindCards, PlacesAFrontFromItsNumberAndReadsIt) {
  // In the picture: the card's number line where GA 450 prints it on a card at (100,100)-(956,640),
  // and a receipt's text far from it.
  const Scene s;
  const std::vector<Printed> picture = {
      {"11010119900101124X", 100 + 0.345f * 856, 100 + 0.915f * 856, 100 + 0.85f * 540, 30},
      {"公民身份号码", 100 + 0.06f * 856, 100 + 0.30f * 856, 100 + 0.85f * 540, 24},
      {"韩梅梅", 100 + 0.18f * 856, 100 + 0.33f * 856, 100 + 0.16f * 540, 28}};
  const FakeLineReader reader(picture, front_lines());
  const PictureRead read = find_cards(s.picture, reader);
  ASSERT_TRUE(read.card.front.has_value());
  EXPECT_FALSE(read.card.back.has_value());
  EXPECT_EQ(read.card.front->id.text, "11010119900101124X");
  EXPECT_EQ(read.card.front->name.text, "韩梅梅");
  // The card placed from its number: near where it is (the layout's proportions, no outline).
  const Quad& q = read.card.front->card_quad;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(q[i].x, s.card[i].x, 0.03f * 856);
    EXPECT_NEAR(q[i].y, s.card[i].y, 0.03f * 856);
  }
  EXPECT_EQ(read.boxes.size(), picture.size());
}

// A form's table beside the card, both lines at one angle, prints a number that checks and comes
// first: the card's number (checking too) is a candidate as well, and the card about it (its rows
// boxed there) wins.
TEST(FindCards, AFormsNumberBesideTheCardDoesNotHideTheCards) {
  const Scene s;
  const std::vector<Printed> picture = {
      {"52263419810414070X", 100, 500, 40, 30},  // the form's, above the card, read first
      {"110101199001011245", 100 + 0.345f * 856, 100 + 0.915f * 856, 100 + 0.85f * 540, 30},
      {"公民身份号码", 100 + 0.06f * 856, 100 + 0.30f * 856, 100 + 0.85f * 540, 24},
      {"住址", 100 + 0.06f * 856, 100 + 0.14f * 856, 100 + 0.53f * 540, 24},
      {"韩梅梅", 100 + 0.18f * 856, 100 + 0.33f * 856, 100 + 0.16f * 540, 28}};
  const FakeLineReader reader(picture, front_lines());
  const PictureRead read = find_cards(s.picture, reader);
  ASSERT_TRUE(read.card.front.has_value());
  const Quad& q = read.card.front->card_quad;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(q[i].x, s.card[i].x, 0.03f * 856);
    EXPECT_NEAR(q[i].y, s.card[i].y, 0.03f * 856);
  }
}

TEST(FindCards, AReceiptsNumberIsNoCard) {
  // An 18-digit number that checks, with a receipt's lines around it and none of a front's rows.
  const Scene s;
  const std::vector<Printed> picture = {{"11010119900101124X", 400, 800, 500, 30},
                                        {"合计金额", 200, 400, 300, 30}};
  const FakeLineReader reader(
      picture, {{"11010119900101124X", 0.345f, 0.915f, 0.85f, 0.06f}, {"合计金额", 0.1f, 0.4f, 0.3f, 0.05f}});
  const PictureRead read = find_cards(s.picture, reader);
  EXPECT_FALSE(read.card.front.has_value());
}

// A form's 签发机关 and 有效期限 rows on plain paper: no title read in the picture and no card's
// outline about them. Read as a back, but a weak one: answered only when nothing better is found.
TEST(FindCards, AFormsPeriodAndBureauAreOnlyAWeakBack) {
  const Scene s;
  const std::vector<Printed> picture = {{"签发机关", 150, 300, 400, 30},
                                        {"北京市公安局东城分局", 330, 700, 400, 30},
                                        {"有效期限", 150, 300, 480, 30},
                                        {"2015.06.19-2035.06.19", 330, 730, 480, 30}};
  const FakeLineReader reader(picture, {});
  const PictureRead read = find_cards(s.picture, reader);
  EXPECT_FALSE(read.card.back.has_value());
  ASSERT_TRUE(read.weak_back.has_value());
  EXPECT_EQ(read.weak_back->authority.text, "北京市公安局东城分局");
}

// The same rows under a form's front rows (姓名…, 性别…, 住址…, as an application form prints
// them): not even a weak back; a card's back holds no front row.
TEST(FindCards, AFormsPeriodUnderFrontRowsIsNoBack) {
  const Scene s;
  const std::vector<Printed> picture = {{"姓名任鑫文", 150, 400, 240, 30},
                                        {"性别男民族汉", 150, 450, 290, 30},
                                        {"住址福建省三明市建宁县北京西路20号", 150, 800, 340, 30},
                                        {"签发机关建宁县公安局", 150, 500, 400, 30},
                                        {"有效期限", 150, 300, 480, 30},
                                        {"2023.06.11-2043.06.11", 330, 730, 480, 30}};
  const FakeLineReader reader(picture, {});
  const PictureRead read = find_cards(s.picture, reader);
  EXPECT_FALSE(read.card.back.has_value());
  EXPECT_FALSE(read.weak_back.has_value());
}

// A register (居民身份证申领登记表: the card's title inside its own) prints a back's rows among its
// holder's 证件号码 and 出生日期: no back, not even a weak one.
TEST(FindCards, ARegistersBackRowsAmongItsHoldersAreNoBack) {
  const Scene s;
  const std::vector<Printed> picture = {
      {"居民身份证申领登记表", 150, 600, 180, 36},         {"姓名殷鑫辉", 150, 400, 240, 30},
      {"出生日期1962.01.01", 150, 500, 290, 30},           {"证件号码140110196201019397", 150, 700, 340, 30},
      {"签发机关太原市公安局晋源分局", 150, 600, 400, 30}, {"有效期限2009.07.07-长期", 150, 560, 460, 30}};
  // Rectified about its number, the register shows its rows as read in the picture.
  const FakeLineReader reader(picture, {{"出生日期1962.01.01", 0.06f, 0.6f, 0.4f, 0.06f},
                                        {"证件号码140110196201019397", 0.06f, 0.95f, 0.85f, 0.06f},
                                        {"签发机关太原市公安局晋源分局", 0.06f, 0.8f, 0.95f, 0.06f}});
  const PictureRead read = find_cards(s.picture, reader);
  EXPECT_FALSE(read.card.back.has_value());
  EXPECT_FALSE(read.weak_back.has_value());
}

// A back, its title read inside it, beside a form whose number and rows read as a front's but lie
// otherwise than a card prints them (no outline shows on either): the back is answered alone.
TEST(FindCards, AFormsFrontBesideATitledBackIsNoFront) {
  const Scene s;
  std::vector<Printed> form = front_lines();
  for (Printed& p : form)
    if (p.cy < 0.8f) p.cy = 0.45f + 0.55f * p.cy;  // squeezed towards the number, as forms print
  const std::vector<Printed> picture = {
      {"中华人民共和国", 120, 420, 90, 30},     {"居民身份证", 100, 440, 150, 40},
      {"签发机关", 40, 140, 250, 20},           {"北京市公安局东城分局", 170, 420, 250, 20},
      {"有效期限", 40, 140, 300, 20},           {"2015.06.19-2035.06.19", 170, 440, 300, 20},
      {"11010119900101124X", 560, 960, 620, 30}};
  const FakeLineReader reader(picture, form);
  const PictureRead read = find_cards(s.picture, reader);
  ASSERT_TRUE(read.card.back.has_value());
  EXPECT_EQ(read.card.back->authority.text, "北京市公安局东城分局");
  EXPECT_FALSE(read.card.front.has_value());
}

// The same rows with the card's title above them: a back.
TEST(FindCards, TheTitleAboveMakesItABack) {
  const Scene s;
  const std::vector<Printed> picture = {
      {"中华人民共和国", 330, 700, 180, 40}, {"居民身份证", 300, 760, 280, 60},
      {"签发机关", 150, 300, 400, 30},       {"北京市公安局东城分局", 330, 700, 400, 30},
      {"有效期限", 150, 300, 480, 30},       {"2015.06.19-2035.06.19", 330, 730, 480, 30}};
  const FakeLineReader reader(picture, back_lines());
  const PictureRead read = find_cards(s.picture, reader);
  ASSERT_TRUE(read.card.back.has_value());
  EXPECT_EQ(read.card.back->authority.text, "北京市公安局东城分局");
}

// A back read in the first pass is placed from its title (a line of known length), not from its
// period's text height (a guess: here the period's boxes are short, as a thin font's are).
TEST(FindCards, ABackIsPlacedFromItsTitle) {
  const Scene s;
  const std::vector<Printed> picture = {
      {"中华人民共和国", 384, 760, 180, 40}, {"居民身份证", 348, 772, 280, 60},
      {"签发机关", 150, 300, 400, 24},       {"北京市公安局东城分局", 330, 700, 400, 24},
      {"有效期限", 150, 300, 480, 24},       {"2015.06.19-2035.06.19", 330, 730, 480, 24}};
  const FakeLineReader reader(picture, back_lines());
  const PictureRead read = find_cards(s.picture, reader);
  ASSERT_TRUE(read.card.back.has_value());
  const Quad& q = read.card.back->card_quad;
  // Either title (a third of a pitch beyond its end characters) says a card about 755 wide from
  // about x 126; the period's 24 px boxes would have said 440.
  const float width = std::hypot(q[1].x - q[0].x, q[1].y - q[0].y);
  EXPECT_NEAR(width, 755, 20);
  EXPECT_NEAR(q[0].x, 126, 10);
}

TEST(FindCards, NoAnchorNoCard) {
  const Scene s;
  const FakeLineReader reader({{"欢迎光临", 100, 400, 100, 30}, {"合计 38.50", 100, 300, 200, 30}},
                              front_lines());
  const PictureRead read = find_cards(s.picture, reader);
  EXPECT_FALSE(read.card.front.has_value());
  EXPECT_FALSE(read.card.back.has_value());
}

}  // namespace
}  // namespace idcard
