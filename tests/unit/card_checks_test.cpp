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
