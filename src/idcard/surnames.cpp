#include "idcard/surnames.h"

#include <algorithm>
#include <array>

#include "idcard/field_text.h"

namespace idcard {
namespace {

// The surnames carried by nearly every family in China (the few hundred most frequent of the
// household registers' published rankings). Membership matters, not order.
constexpr std::string_view kCommon =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米杭佘揭栾粟苑巫全燕鞠桂仇裘阎谈原官邸宗商隋鄢练池苟戈麻庹冼刁敖楚植茅应郎薄柏占仲邝封宿丛巴雍胥虞"
    "郁容姬幸钮诸巩阚冀蔺边双井湛郜师凤荣花海洪丰沙邬桑迟卞臧哈奚贝庾晋亢衣禹狄伏晁赖萧强";

// The classic list's rarer surnames (百家姓), not in kCommon.
constexpr std::string_view kClassic =
    "水云昌酆廉乐皮元平和明计闵危支昝经干宣贲嵇滑荀羊於惠甄家芮羿储汲邴糜松富乌弓牧隗山宓蓬郗班仰秋伊暴钭"
    "厉戎祖束韶蓟印怀邰从鄂索咸籍屠阴鬱能苍闻莘贡劳逄扶堵宰郦郤璩濮寿通扈郏浦别瞿充慕茹习宦鱼慎终暨居衡步都"
    "满弘匡国寇广禄阙东殳沃利蔚越夔隆厍勾融訾那空毋乜养须巢蒯相查后荆红竺权逯盖益桓公法汝钦帅缑况郈有琴佴伯赏"
    "墨谯笪年爱佟第言福";

// First characters of the compound surnames (欧阳, 上官, 令狐, ...): never replaced.
constexpr std::string_view kCompoundFirst =
    "万司上欧夏诸闻东赫皇尉公澹宗濮淳单太申轩令钟宇长慕鲜闾亓仉子颛端巫漆乐壤拓夹宰谷百呼归羊微梁左西南第";

bool holds(std::string_view list, std::string_view ch) {
  return !ch.empty() && list.find(ch) != std::string_view::npos;
}

constexpr std::array<std::string_view, 24> kChineseSurnameNations = {
    "汉", "壮",   "回",   "满",   "苗", "土家", "侗", "瑶", "白",   "布依", "朝鲜", "畲",
    "黎", "仫佬", "毛南", "仡佬", "羌", "京",   "土", "水", "锡伯", "东乡", "撒拉", "保安"};

}  // namespace

int surname_tier(std::string_view ch) {
  if (utf8_chars(ch).size() != 1) return 0;
  if (holds(kCommon, ch)) return 2;
  if (holds(kClassic, ch)) return 1;
  return 0;
}

bool has_chinese_surnames(std::string_view nationality) {
  return std::find(kChineseSurnameNations.begin(), kChineseSurnameNations.end(), nationality) !=
         kChineseSurnameNations.end();
}

std::string weigh_surname(std::string_view name, const CharAlternatives& first,
                          std::string_view nationality) {
  const auto chars = utf8_chars(name);
  if (first.empty() || chars.size() < 2 || chars.size() > 4 || !has_chinese_surnames(nationality) ||
      name.find("·") != std::string_view::npos || holds(kCompoundFirst, chars[0]))
    return std::string(name);
  constexpr float kWeight[] = {0.01f, 0.1f, 1.f};
  auto score = [&](const ocr::CharChoice& c) { return c.prob * kWeight[surname_tier(c.text)]; };
  const auto read =
      std::find_if(first.begin(), first.end(), [&](const auto& c) { return c.text == chars[0]; });
  if (read == first.end()) return std::string(name);  // the alternatives are not this character's
  const auto best = std::max_element(first.begin(), first.end(),
                                     [&](const auto& a, const auto& b) { return score(a) < score(b); });
  if (best == read || score(*best) <= score(*read) || utf8_chars(best->text).size() != 1)
    return std::string(name);
  std::string out = best->text;
  for (size_t i = 1; i < chars.size(); ++i) out += chars[i];
  return out;
}

}  // namespace idcard
