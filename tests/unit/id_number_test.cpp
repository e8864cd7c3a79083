#include "idcard/id_number.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace idcard {
namespace {

// Class index of a character in the recogniser's id alphabet: blank, 0-9, X.
int cls(char c) { return c == 'X' ? 11 : c - '0' + 1; }

// A step where one class has probability p and the rest share what is left evenly.
ocr::IdStep peaked(int k, float p) {
  ocr::IdStep s;
  s.fill((1.f - p) / (ocr::kIdClasses - 1));
  s[k] = p;
  return s;
}

// One confident step per character with a blank step after each (as CTC emits them).
// `alts` replaces a character's step: {top char, p, second char, p2}.
struct Alt {
  char top;
  float p;
  char second;
  float p2;
};
std::vector<ocr::IdStep> steps_for(const std::string& text, const std::map<size_t, Alt>& alts = {}) {
  std::vector<ocr::IdStep> steps;
  steps.push_back(peaked(0, 0.99f));
  for (size_t i = 0; i < text.size(); ++i) {
    auto it = alts.find(i);
    if (it == alts.end()) {
      steps.push_back(peaked(cls(text[i]), 0.97f));
    } else {
      const Alt& a = it->second;
      ocr::IdStep s;
      s.fill((1.f - a.p - a.p2) / (ocr::kIdClasses - 2));
      s[cls(a.top)] = a.p;
      s[cls(a.second)] = a.p2;
      steps.push_back(s);
    }
    steps.push_back(peaked(0, 0.99f));
  }
  return steps;
}

TEST(IdNumberChecksum, CheckCharacter) {
  EXPECT_EQ(id_check_char("11010519491231002"), 'X');
  EXPECT_EQ(id_check_char("44030419900102123"), '9');
  EXPECT_EQ(id_check_char("61030419690210928"), '7');
  EXPECT_EQ(id_check_char("1101051949123100"), '\0');    // 16 digits
  EXPECT_EQ(id_check_char("1101051949123100A"), '\0');   // not all digits
  EXPECT_EQ(id_check_char("110105194912310023"), '\0');  // 18 digits
}

TEST(IdNumberChecksum, FormatAndChecksum) {
  EXPECT_TRUE(id_format_ok("11010519491231002X"));
  EXPECT_TRUE(id_format_ok("110105194912310021"));  // format only, wrong check
  EXPECT_FALSE(id_format_ok("11010519491231002x"));
  EXPECT_FALSE(id_format_ok("11010519491231002"));
  EXPECT_FALSE(id_format_ok("11010519491231002X1"));
  EXPECT_FALSE(id_format_ok("1101051949123100XX"));

  EXPECT_TRUE(id_checksum_ok("11010519491231002X"));
  EXPECT_TRUE(id_checksum_ok("440304199001021239"));
  EXPECT_FALSE(id_checksum_ok("440304199001021238"));
  EXPECT_FALSE(id_checksum_ok("11010519491231002x"));  // lower-case x is not printed
  EXPECT_FALSE(id_checksum_ok("11090519491231002X"));  // one digit wrong
  EXPECT_FALSE(id_checksum_ok("10110519491231002X"));  // two digits swapped
  EXPECT_FALSE(id_checksum_ok(""));
}

TEST(IdNumberFields, BirthDate) {
  EXPECT_EQ(id_birth_date("11010519491231002X"), "19491231");
  EXPECT_EQ(id_birth_date("44030419900102123"), "19900102");     // 17 characters are enough
  EXPECT_EQ(id_birth_date("110105200002290011"), "20000229");    // 2000 is a leap year
  EXPECT_EQ(id_birth_date("110105190002290011"), std::nullopt);  // 1900 is not
  EXPECT_EQ(id_birth_date("110105199902290011"), std::nullopt);
  EXPECT_EQ(id_birth_date("110105199913010011"), std::nullopt);  // month 13
  EXPECT_EQ(id_birth_date("110105199904310011"), std::nullopt);  // April 31
  EXPECT_EQ(id_birth_date("110105199900010011"), std::nullopt);  // month 0
  EXPECT_EQ(id_birth_date("110105184901010011"), std::nullopt);  // 1849: before the range
  EXPECT_EQ(id_birth_date("1101051949"), std::nullopt);
  EXPECT_EQ(id_birth_date("1101051949X231002X"), std::nullopt);
}

TEST(IdNumberFields, Gender) {
  EXPECT_EQ(id_gender("11010519491231002X"), 'F');
  EXPECT_EQ(id_gender("440304199001021239"), 'M');
  EXPECT_EQ(id_gender("1101051949123100"), std::nullopt);
  EXPECT_EQ(id_gender("1101051949123100X1"), std::nullopt);
}

TEST(DecodeIdNumber, ConfidentValidNumberIsLeftAlone) {
  const auto r = decode_id_number(steps_for("11010519491231002X"));
  EXPECT_EQ(r.text, "11010519491231002X");
  EXPECT_FALSE(r.corrected);
  EXPECT_NEAR(r.confidence, 0.97f, 1e-5f);
}

TEST(DecodeIdNumber, CtcCollapsesRepeatsAndKeepsDoubledDigitsAcrossBlanks) {
  // "11" needs a blank between the ones; "1","1" in consecutive steps is one character.
  std::vector<ocr::IdStep> steps = {peaked(cls('1'), 0.9f), peaked(cls('1'), 0.95f), peaked(0, 0.9f),
                                    peaked(cls('1'), 0.8f), peaked(cls('2'), 0.7f)};
  const auto r = decode_id_number(steps);
  EXPECT_EQ(r.text, "112");
  EXPECT_FALSE(r.corrected);
  // The first character keeps its most confident step.
  EXPECT_NEAR(r.confidence, (0.95f + 0.8f + 0.7f) / 3, 1e-5f);
}

TEST(DecodeIdNumber, EmptyInput) {
  const auto r = decode_id_number({});
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(r.confidence, 0.f);
  EXPECT_FALSE(r.corrected);
}

TEST(DecodeIdNumber, SecondBestRepairsOneDigit) {
  // Position 3 ('1') read as '9' at 0.6, with the right '1' second at 0.35.
  const auto r = decode_id_number(steps_for("11010519491231002X", {{3, {'9', 0.6f, '1', 0.35f}}}));
  EXPECT_EQ(r.text, "11010519491231002X");
  EXPECT_TRUE(r.corrected);
  EXPECT_TRUE(id_checksum_ok(r.text));
}

TEST(DecodeIdNumber, RepairsTheCheckCharacter) {
  // The final X read as a 8, X second.
  const auto r = decode_id_number(steps_for("11010519491231002X", {{17, {'8', 0.55f, 'X', 0.4f}}}));
  EXPECT_EQ(r.text, "11010519491231002X");
  EXPECT_TRUE(r.corrected);
}

TEST(DecodeIdNumber, RepairsTwoDigits) {
  // Two positions wrong; the pair of second-bests passes.
  const auto r = decode_id_number(
      steps_for("440304199001021239", {{2, {'8', 0.6f, '0', 0.35f}}, {12, {'7', 0.5f, '0', 0.45f}}}));
  EXPECT_EQ(r.text, "440304199001021239");
  EXPECT_TRUE(r.corrected);
}

TEST(DecodeIdNumber, PrefersTheMostProbableRepair) {
  // "11090519491231002X" can be fixed at position 3 ('1') or at position 10 ('0'). The model finds
  // '1' at position 3 far more plausible than '0' at position 10.
  const auto r = decode_id_number(
      steps_for("11010519491231002X", {{3, {'9', 0.55f, '1', 0.4f}}, {10, {'1', 0.9f, '0', 0.03f}}}));
  EXPECT_EQ(r.text, "11010519491231002X");
  EXPECT_TRUE(r.corrected);

  // The other way round: '0' at position 10 is the likelier fix.
  const auto r2 = decode_id_number(
      steps_for("11010519491231002X", {{3, {'9', 0.9f, '1', 0.03f}}, {10, {'1', 0.5f, '0', 0.45f}}}));
  EXPECT_EQ(r2.text, "11090519490231002X");
  EXPECT_TRUE(id_checksum_ok(r2.text));
  EXPECT_TRUE(r2.corrected);
}

TEST(DecodeIdNumber, NeverInventsDigitsWithoutAPlausibleAlternative) {
  // '9' read confidently where '1' is printed: the right digit is below the plausibility floor.
  const auto r = decode_id_number(steps_for("11010519491231002X", {{3, {'9', 0.985f, '1', 0.01f}}}));
  EXPECT_EQ(r.text, "11090519491231002X");
  EXPECT_FALSE(r.corrected);
  EXPECT_FALSE(id_checksum_ok(r.text));
}

TEST(DecodeIdNumber, LeavesTheReadingWhenNoAlternativePasses) {
  // The second-best at the wrong position is another wrong digit: nothing passes.
  const auto r = decode_id_number(steps_for("11010519491231002X", {{3, {'9', 0.6f, '7', 0.35f}}}));
  EXPECT_EQ(r.text, "11090519491231002X");
  EXPECT_FALSE(r.corrected);
}

TEST(DecodeIdNumber, NeverChangesTheLength) {
  // 17 characters (one lost): no repair is attempted even with a strong alternative.
  const auto r = decode_id_number(steps_for("1101051949123100X", {{3, {'9', 0.6f, '1', 0.35f}}}));
  EXPECT_EQ(r.text, "1109051949123100X");
  EXPECT_FALSE(r.corrected);
}

}  // namespace
}  // namespace idcard

TEST(IdNumber, OnlyAProvinceOfGbT2260StartsANumber) {
  EXPECT_TRUE(idcard::id_province_ok("110101199001011237"));   // Beijing
  EXPECT_TRUE(idcard::id_province_ok("500101199001011237"));   // Chongqing
  EXPECT_TRUE(idcard::id_province_ok("820000199001011237"));   // Macao
  EXPECT_FALSE(idcard::id_province_ok("183033197307102600"));  // no province 18
  EXPECT_FALSE(idcard::id_province_ok("000101199001011237"));
  EXPECT_FALSE(idcard::id_province_ok("9"));
}
