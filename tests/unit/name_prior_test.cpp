#include "idcard/name_prior.h"

#include <gtest/gtest.h>

#include "idcard/field_text.h"

namespace idcard {
namespace {

CharAlternatives alts(std::initializer_list<std::pair<const char*, float>> choices) {
  CharAlternatives out;
  for (const auto& [text, prob] : choices) out.push_back({text, prob});
  return out;
}

// `name` read with `first` considered for its first character, the others read surely.
std::string weigh_surname(std::string_view name, const CharAlternatives& first,
                          std::string_view nationality) {
  ReadText read{utf8_chars(name), {}};
  read.alts.resize(read.chars.size());
  read.alts.front() = first;
  return weigh_name(read, nationality);
}

TEST(NamePrior, TiersFollowHowManyCarryThem) {
  EXPECT_EQ(surname_tier("王"), 2);
  EXPECT_EQ(surname_tier("俞"), 2);
  EXPECT_EQ(surname_tier("昌"), 1);  // in the classic list, carried by few
  EXPECT_EQ(surname_tier("病"), 0);
  EXPECT_EQ(surname_tier("王李"), 0);  // one character only
  EXPECT_EQ(surname_tier(""), 0);
}

TEST(NamePrior, ABlurredSurnameIsTheLikeliestOneTheReaderConsidered) {
  // As read on a blurred photo: 病 unsure, 俞 fourth of what the reader saw.
  const auto first = alts({{"病", 0.29f}, {"有", 0.11f}, {"朝", 0.097f}, {"制", 0.047f}, {"俞", 0.039f}});
  EXPECT_EQ(weigh_surname("病心", first, "汉"), "俞心");
  EXPECT_EQ(weigh_surname("孝拔", alts({{"孝", 0.69f}, {"李", 0.30f}, {"字", 0.007f}}), "壮"), "李拔");
}

TEST(NamePrior, WhatTheReaderReadStandsWhereItIsASurnameOrSure) {
  // A common surname read unsure beside another: the reading's own probability decides.
  EXPECT_EQ(weigh_surname("李明", alts({{"李", 0.6f}, {"季", 0.3f}}), "汉"), "李明");
  // A rarer surname read fairly surely is not traded for a common one the reader barely saw.
  EXPECT_EQ(weigh_surname("昌平", alts({{"昌", 0.9f}, {"吕", 0.05f}}), "汉"), "昌平");
  // Read surely: nothing considered, nothing changed.
  EXPECT_EQ(weigh_surname("病心", {}, "汉"), "病心");
  // Alternatives of another character than the one read are not this name's.
  EXPECT_EQ(weigh_surname("病心", alts({{"甸", 0.5f}, {"何", 0.4f}}), "汉"), "病心");
}

TEST(NamePrior, NamesOfOtherTraditionsAreLeftAlone) {
  const auto first = alts({{"扎", 0.8f}, {"孔", 0.15f}});
  EXPECT_EQ(weigh_surname("扎西次仁", first, "藏"), "扎西次仁");  // a Tibetan name has no surname
  EXPECT_EQ(weigh_surname("扎西次仁", first, ""), "扎西次仁");    // nationality not read: unknown
  EXPECT_EQ(weigh_surname("扎力·买买提", first, "汉"), "扎力·买买提");
  EXPECT_EQ(weigh_surname("扎西次仁", first, "汉"), "孔西次仁");  // the same reading on a Han card
}

TEST(NamePrior, GivenNameTiers) {
  EXPECT_EQ(given_name_tier("燕"), 1);
  EXPECT_EQ(given_name_tier("萱"), 1);
  EXPECT_EQ(given_name_tier("赜"), 1);  // rare, but a name character (level 3)
  EXPECT_EQ(given_name_tier("翀"), 1);
  EXPECT_EQ(given_name_tier("券"), 0);
  EXPECT_EQ(given_name_tier("華"), 0);  // a card prints simplified characters
  EXPECT_EQ(given_name_tier("燕萱"), 0);
  EXPECT_EQ(given_name_tier(""), 0);
}

TEST(NamePrior, ABlurredGivenNameIsTheLikeliestNameTheReaderConsidered) {
  // As read on a blurred photo: 券 barely ahead of 燕, which parents give and 券 no one.
  ReadText read{
      {"陈", "琼", "券"},
      {{}, alts({{"琼", 0.82f}, {"球", 0.17f}}), alts({{"券", 0.27f}, {"燕", 0.21f}, {"养", 0.11f}})}};
  EXPECT_EQ(weigh_name(read, "汉"), "陈琼燕");
  // 琼 is a name character and 球 is not: an unsure 琼 stands.
  read.alts[1] = alts({{"琼", 0.55f}, {"球", 0.45f}});
  EXPECT_EQ(weigh_name(read, "汉"), "陈琼燕");
}

TEST(NamePrior, ARareNameCharacterReadSurelyStands) {
  // 旻 (level 3) beside a common look-alike the reader barely saw.
  ReadText read{{"陆", "强", "旻"}, {{}, {}, alts({{"旻", 0.7f}, {"昊", 0.2f}})}};
  EXPECT_EQ(weigh_name(read, "汉"), "陆强旻");
  // An unlisted character read thirty times as surely as a listed one stands too.
  read.alts[2] = alts({{"字", 0.96f}, {"宇", 0.03f}});
  read.chars[2] = "字";
  EXPECT_EQ(weigh_name(read, "汉"), "陆强字");
  // A compound surname's second character is no given name.
  ReadText compound{{"欧", "阳", "峰"}, {{}, alts({{"阳", 0.5f}, {"明", 0.4f}}), {}}};
  EXPECT_EQ(weigh_name(compound, "汉"), "欧阳峰");
}

}  // namespace
}  // namespace idcard
