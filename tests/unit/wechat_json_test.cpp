#include "server/wechat_json.h"

#include <gtest/gtest.h>

namespace idcard {
TEST(WechatJson, FrontHasWechatKeysAndNoDetailByDefault) {
  CardResult card;
  card.front.emplace();
  card.front->name.text = "张三";
  card.front->id.text = "11010519491231002X";
  card.front->gender.text = "男";
  card.front->nationality.text = "汉";
  card.front->addr.text = "北京市朝阳区";
  card.front->birth.text = "19491231";
  const auto j = to_wechat_json(card, false);
  EXPECT_EQ(j["errcode"], 0);
  EXPECT_EQ(j["errmsg"], "ok");
  EXPECT_EQ(j["type"], "Front");
  EXPECT_EQ(j["name"], "张三");
  EXPECT_EQ(j["id"], "11010519491231002X");
  EXPECT_FALSE(j.contains("fields"));
  EXPECT_FALSE(j.contains("valid_date"));
}

TEST(WechatJson, BackAndDetail) {
  CardResult card;
  card.back.emplace();
  card.back->valid_date.text = "20150619-20350619";
  card.back->authority.text = "北京市公安局朝阳分局";
  card.back->valid_date.quad = {Point{1, 2}, Point{3, 2}, Point{3, 4}, Point{1, 4}};
  card.image_width = 640;
  card.image_height = 480;
  card.checks.valid_span_ok = true;
  const auto j = to_wechat_json(card, true);
  EXPECT_EQ(j["type"], "Back");
  EXPECT_EQ(j["valid_date"], "20150619-20350619");
  EXPECT_EQ(j["fields"]["valid_date"]["pos"]["right_bottom"]["x"], 3);
  EXPECT_EQ(j["img_size"]["w"], 640);
  EXPECT_EQ(j["checks"]["valid_span_ok"], true);
  EXPECT_FALSE(j["checks"].contains("id_checksum_ok"));
}

TEST(WechatJson, ReportsAreOptInAndEveryCardIsListed) {
  CardResult card;
  card.front.emplace();
  card.front->id.text = "11010519491231002X";
  card.front->report.assessed = true;
  card.front->report.quality = 72;
  card.front->report.warnings.push_back({"glare", "证件有反光"});
  card.front->report.card_jpeg = "abc";
  card.front->report.portrait_jpeg = "ab";
  card.back.emplace();
  card.back->valid_date.text = "20150619-20350619";
  card.back->report.assessed = true;
  card.back->report.card_jpeg = "a";
  // Nothing asked: the answer of old, byte for byte, though the reports were made.
  EXPECT_EQ(to_wechat_json(card, true, ReadOptions{}).dump(), to_wechat_json(card, true).dump());

  ReadOptions warnings;
  warnings.warnings = true;
  auto j = to_wechat_json(card, false, warnings);
  EXPECT_EQ(j["quality"], 72);
  EXPECT_EQ(j["warnings"][0]["code"], "glare");
  EXPECT_EQ(j["warnings"][0]["message"], "证件有反光");
  EXPECT_FALSE(j.contains("card_image"));
  ASSERT_EQ(j["cards"].size(), 2u);  // a front and a back: both listed, the top level the front's
  EXPECT_EQ(j["cards"][0]["type"], "Front");
  EXPECT_EQ(j["cards"][1]["type"], "Back");
  EXPECT_EQ(j["cards"][1]["warnings"], nlohmann::json::array());
  EXPECT_FALSE(j["cards"][0].contains("errcode"));
  EXPECT_FALSE(j["cards"][0].contains("valid_date"));

  ReadOptions crops;
  crops.crop_card = crops.crop_portrait = true;
  j = to_wechat_json(card, false, crops);
  EXPECT_EQ(j["card_image"], "YWJj");  // base64 of "abc"
  EXPECT_EQ(j["portrait_image"], "YWI=");
  EXPECT_EQ(j["cards"][1]["card_image"], "YQ==");
  EXPECT_FALSE(j["cards"][1].contains("portrait_image"));
  EXPECT_FALSE(j.contains("warnings"));

  ReadOptions list;
  list.list_cards = true;
  j = to_wechat_json(card, false, list);
  EXPECT_EQ(j["cards"].size(), 2u);
  EXPECT_FALSE(j.contains("quality"));
  card.back.reset();  // one card: no list
  EXPECT_FALSE(to_wechat_json(card, false, list).contains("cards"));
}

TEST(WechatJson, AnotherPersonsCardsAreListedAfterTheFirst) {
  CardResult card;
  card.front.emplace();
  card.front->id.text = "11010519491231002X";
  card.others.emplace_back();
  card.others[0].front.emplace();
  card.others[0].front->id.text = "45030219910528928X";
  card.others[0].checks.id_checksum_ok = true;
  card.others.emplace_back();
  card.others[1].back.emplace();
  card.others[1].back->authority.text = "鄯善县公安局";
  const std::vector<CardResult> all = every_card(card);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[1].front && all[1].others.empty());
  // Nothing asked: one card's answer, as ever.
  EXPECT_FALSE(to_wechat_json(card, true, ReadOptions{}).contains("cards"));
  ReadOptions list;
  list.list_cards = true;
  const auto j = to_wechat_json(card, true, list);
  EXPECT_EQ(j["id"], "11010519491231002X");  // the top level stays the first card's
  ASSERT_EQ(j["cards"].size(), 3u);
  EXPECT_EQ(j["cards"][0]["id"], "11010519491231002X");
  EXPECT_EQ(j["cards"][1]["id"], "45030219910528928X");
  EXPECT_EQ(j["cards"][1]["checks"]["id_checksum_ok"], true);  // each card's own checks
  EXPECT_EQ(j["cards"][2]["type"], "Back");
  EXPECT_EQ(j["cards"][2]["authority"], "鄯善县公安局");
}
}  // namespace idcard
