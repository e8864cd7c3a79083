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
}  // namespace idcard
