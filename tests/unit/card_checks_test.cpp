#include "idcard/card_checks.h"

#include <gtest/gtest.h>

#include "idcard/anchors.h"

namespace idcard {
namespace {

TEST(CardChecks, ValiditySpans) {
  EXPECT_TRUE(valid_span_ok("20150619-20350619"));
  EXPECT_TRUE(valid_span_ok("20150619-20250619"));
  EXPECT_TRUE(valid_span_ok("20150619-20200619"));
  EXPECT_TRUE(valid_span_ok("20100301-长期"));
  EXPECT_FALSE(valid_span_ok("20150619-20350620"));  // not the same day
  EXPECT_FALSE(valid_span_ok("20150619-20300619"));  // 15 years is no span a card has
  EXPECT_FALSE(valid_span_ok(""));
}

TEST(CardChecks, ATemporaryCardRunsThreeMonths) {
  EXPECT_TRUE(valid_span_ok("20250520-20250820", true));
  EXPECT_TRUE(valid_span_ok("20251130-20260228", true));   // no 30 February: the month's last day
  EXPECT_TRUE(valid_span_ok("20231130-20240229", true));   // a leap year's
  EXPECT_FALSE(valid_span_ok("20251130-20260227", true));  // a day short
  EXPECT_FALSE(valid_span_ok("20250531-20250830", true));  // August has a 31st
  EXPECT_FALSE(valid_span_ok("20250520-20250920", true));  // four months
  EXPECT_FALSE(valid_span_ok("20150619-20350619", true));  // a card's 20 years is no temporary card's
  EXPECT_FALSE(valid_span_ok("20100301-长期", true));
  EXPECT_FALSE(valid_span_ok("20250520-20250820"));        // and three months is no card's
  EXPECT_TRUE(temporary_title("临时居民身份证"));
  EXPECT_TRUE(temporary_title("中华人民共和国临时居民身份"));  // its last character lost
  EXPECT_FALSE(temporary_title("居民身份证"));
  EXPECT_FALSE(temporary_title("临时"));
}

TEST(CardChecks, FrontAgainstItsNumber) {
  CardResult card;
  card.front.emplace();
  card.front->id.text = "11010519491231002X";  // born 1949-12-31, digit 17 even: female
  card.front->birth.text = "19491231";
  card.front->gender.text = "女";
  Checks c = compute_checks(card);
  EXPECT_TRUE(c.id_format_ok);
  EXPECT_TRUE(c.id_checksum_ok);
  EXPECT_TRUE(c.birth_matches_id);
  EXPECT_TRUE(c.gender_matches_id);
  EXPECT_FALSE(c.valid_span_ok);  // no back

  card.front->gender.text = "男";
  card.front->birth.text = "19491230";
  card.front->id.text = "110105194912310021";  // check character wrong
  c = compute_checks(card);
  EXPECT_TRUE(c.id_format_ok);
  EXPECT_FALSE(c.id_checksum_ok);
  EXPECT_FALSE(c.birth_matches_id);
  EXPECT_FALSE(c.gender_matches_id);
}

TEST(CardChecks, HiddenBirthAndGenderTakenFromACheckedNumber) {
  FrontFields front;
  front.id.text = "11010519491231002X";
  front.id.confidence = 0.9f;
  front.id.quad = {Point{10, 50}, Point{90, 50}, Point{90, 60}, Point{10, 60}};
  complete_from_id(front);
  EXPECT_EQ(front.birth.text, "19491231");
  EXPECT_EQ(front.gender.text, "女");
  EXPECT_TRUE(front.birth.from_id && front.gender.from_id);
  EXPECT_FLOAT_EQ(front.birth.quad[1].x, 90.f);  // where it was read: on the number

  // Taken from the number, they are no evidence for it.
  CardResult card;
  card.front = front;
  const Checks c = compute_checks(card);
  EXPECT_TRUE(c.id_checksum_ok);
  EXPECT_FALSE(c.birth_matches_id);
  EXPECT_FALSE(c.gender_matches_id);

  // A legible value stays as read, even where it disagrees with the number.
  FrontFields read;
  read.id.text = "11010519491231002X";
  read.birth.text = "19491230";
  read.gender.text = "男";
  complete_from_id(read);
  EXPECT_EQ(read.birth.text, "19491230");
  EXPECT_EQ(read.gender.text, "男");
  EXPECT_FALSE(read.birth.from_id || read.gender.from_id);

  // A number that fails its check, or is not whole, completes nothing.
  for (const char* id : {"110105194912310021", "11010519491231002", ""}) {
    FrontFields partial;
    partial.id.text = id;
    complete_from_id(partial);
    EXPECT_TRUE(partial.birth.text.empty() && partial.gender.text.empty()) << id;
  }
}

TEST(Anchors, NumberRunsAndBackLines) {
  EXPECT_TRUE(is_anchor("公民身份号码11010519491231002X"));
  EXPECT_TRUE(is_anchor("6103041969021.0.0928"));  // specks between digits do not break the run
  EXPECT_FALSE(is_anchor("电话：13812345678"));
  EXPECT_TRUE(is_anchor("签发机关某某县公安局"));
  EXPECT_TRUE(is_anchor("2015.06.19-2035.06.19"));
  EXPECT_TRUE(is_back_anchor("中华人民共和国"));
  EXPECT_FALSE(is_back_anchor("11010519491231002X"));
}

}  // namespace
}  // namespace idcard
