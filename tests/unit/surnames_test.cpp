#include "idcard/surnames.h"

#include <gtest/gtest.h>

namespace idcard {
namespace {

CharAlternatives alts(std::initializer_list<std::pair<const char*, float>> choices) {
  CharAlternatives out;
  for (const auto& [text, prob] : choices) out.push_back({text, prob});
  return out;
}

TEST(Surnames, TiersFollowHowManyCarryThem) {
  EXPECT_EQ(surname_tier("王"), 2);
  EXPECT_EQ(surname_tier("俞"), 2);
  EXPECT_EQ(surname_tier("昌"), 1);  // in the classic list, carried by few
  EXPECT_EQ(surname_tier("病"), 0);
  EXPECT_EQ(surname_tier("王李"), 0);  // one character only
  EXPECT_EQ(surname_tier(""), 0);
}

TEST(Surnames, ABlurredSurnameIsTheLikeliestOneTheReaderConsidered) {
  // As read on a blurred photo: 病 unsure, 俞 fourth of what the reader saw.
  const auto first = alts({{"病", 0.29f}, {"有", 0.11f}, {"朝", 0.097f}, {"制", 0.047f}, {"俞", 0.039f}});
  EXPECT_EQ(weigh_surname("病心", first, "汉"), "俞心");
  EXPECT_EQ(weigh_surname("孝拔", alts({{"孝", 0.69f}, {"李", 0.30f}, {"字", 0.007f}}), "壮"), "李拔");
}

TEST(Surnames, WhatTheReaderReadStandsWhereItIsASurnameOrSure) {
  // A common surname read unsure beside another: the reading's own probability decides.
  EXPECT_EQ(weigh_surname("李明", alts({{"李", 0.6f}, {"季", 0.3f}}), "汉"), "李明");
  // A rarer surname read fairly surely is not traded for a common one the reader barely saw.
  EXPECT_EQ(weigh_surname("昌平", alts({{"昌", 0.9f}, {"吕", 0.05f}}), "汉"), "昌平");
  // Read surely: nothing considered, nothing changed.
  EXPECT_EQ(weigh_surname("病心", {}, "汉"), "病心");
  // Alternatives of another character than the one read are not this name's.
  EXPECT_EQ(weigh_surname("病心", alts({{"甸", 0.5f}, {"何", 0.4f}}), "汉"), "病心");
}

TEST(Surnames, NamesOfOtherTraditionsAreLeftAlone) {
  const auto first = alts({{"扎", 0.8f}, {"孔", 0.15f}});
  EXPECT_EQ(weigh_surname("扎西次仁", first, "藏"), "扎西次仁");  // a Tibetan name has no surname
  EXPECT_EQ(weigh_surname("扎西次仁", first, ""), "扎西次仁");    // nationality not read: unknown
  EXPECT_EQ(weigh_surname("扎力·买买提", first, "汉"), "扎力·买买提");
  EXPECT_EQ(weigh_surname("扎西次仁", first, "汉"), "孔西次仁");  // the same reading on a Han card
}

}  // namespace
}  // namespace idcard
