#include "idcard/name_prior.h"

#include <algorithm>
#include <array>

#include "idcard/field_text.h"

namespace idcard {

// Level 3 of the 通用规范汉字表 and well-known rare name characters, embedded by CMake from
// tools/train_rec/data/rare_name_chars.txt (the recognizer's tuning covers the same characters).
std::string_view rare_name_chars();

namespace {

// Characters parents most often give (of the published rankings of given names, old and new).
// A character outside this list and level 3 is not impossible in a name, only less likely than a
// listed one the reader considered about as surely.
constexpr std::string_view kGiven =
    "德仁义礼智信忠孝廉诚善良贤淑惠慧敏聪明哲睿博文武雅静娴婉柔美丽秀英俊杰豪雄伟强刚"
    "毅勇健康宁安平和顺泰福禄寿喜乐欢悦怡欣庆祥瑞吉嘉佳优荣华贵富昌盛兴旺隆发达成功业"
    "志远鸿宏广大伦正直贞洁清纯真恩泽润仪容天日月星辰云雨雪霜露风雷虹霞晨晓曦旭阳晖辉"
    "光亮晶昊昕晟晗昱晔暄春夏秋冬山峰岭岩石川江河湖海波涛洋溪泉池潭浩瀚淼森林木松柏杨"
    "柳桐梧楠桦槐枫竹梅兰菊莲荷花芳芬芸芝芷若茜茹莉莎菲萍萱蓉蕾薇蕊茗苗苑葵鹏鹤燕莺凤"
    "凰龙虎麟骏驰玉珠宝金银琴琪琳琦琼瑶瑾瑜璐璇珍珊玲珏璟珂玮琛红紫青翠碧丹彤朱蓝白素"
    "彩子梓涵轩宇然一诗思语可依诺奕亦宸墨航铭铮皓煜烨炎焱霖霏菡韵音歌舞书画笛国家建军"
    "民中新卫东方兵立永长生桂娟娜颖倩婷雯晴媛姝娇娥妍姣婕娅嫣妮婧妙娣姗保力世胜学才利"
    "飞彬先敬震振壮会群心邦承绍厚磊友裕超政谦亨奇之翰朗伯言鸣朋斌梁栋维启克翔时钧冠策"
    "腾榕弘巧环爱妹香艳凡勤叶璧锦黛眉君蓓菁梦岚瑗琰融园艺咏卿澜毓昭冰爽琬羽希滢馥筠凝"
    "霄寒伊亚宜舒影荔枝初程恒骅剑灵唯威逸蝶绿儿曼宗彦烁堂纪宽二三馨汐钰鑫垚犇凯旋霆帆"
    "舟峻崇嵩峥嵘岳颂声扬洪涌潇湘沁澄渊源溢淳汉沛沐沫蔓蔚葳茵芊芮芙蕙苓芹茉琇琨琅琮瑛"
    "璋瑄瑭璨珺珣婵媚娉妤妃妩姿嫒萌蒙盈楚晋豫赣闽粤蜀尧舜禹汤周秦唐宋元斐霓霁霭捷昂昆"
    "景晃晏普暖曜曙韬勋绩继传延绵锋钢铁坤根柱锁财来全水树桥彪豹赟乾淦淞隽骁骥楷卓越凌"
    "少小佩珮玥如意宾栓";

// A given-name character neither listed nor of level 3 weighs this much against a listed one.
constexpr float kOtherGivenWeight = 0.05f;

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

int given_name_tier(std::string_view ch) {
  if (utf8_chars(ch).size() != 1) return 0;
  return holds(kGiven, ch) || holds(rare_name_chars(), ch) ? 1 : 0;
}

namespace {

// The character `alts` (what the reader considered, the character read among them) weighs most
// for: `read` itself unless an alternative's probability times its weight beats it.
template <typename Weight>
std::string weigh_char(const std::string& read, const CharAlternatives& alts, Weight weight) {
  auto score = [&](const ocr::CharChoice& c) { return c.prob * weight(c.text); };
  const auto own = std::find_if(alts.begin(), alts.end(), [&](const auto& c) { return c.text == read; });
  if (own == alts.end()) return read;  // sure, or the alternatives are not this character's
  const auto best = std::max_element(alts.begin(), alts.end(),
                                     [&](const auto& a, const auto& b) { return score(a) < score(b); });
  if (best == own || score(*best) <= score(*own) || utf8_chars(best->text).size() != 1) return read;
  return best->text;
}

}  // namespace

std::string weigh_name(const ReadText& read, std::string_view nationality) {
  std::string name;
  for (const auto& c : read.chars) name += c;
  const size_t n = read.chars.size();
  if (n < 2 || n > 4 || read.alts.size() != n || !has_chinese_surnames(nationality) ||
      name.find("·") != std::string::npos)
    return name;
  // A compound surname (欧阳, 上官, ...) is two characters no given-name list holds: left as read.
  const bool compound = holds(kCompoundFirst, read.chars[0]);
  constexpr float kSurnameWeight[] = {0.01f, 0.1f, 1.f};
  std::string out =
      compound ? read.chars[0] : weigh_char(read.chars[0], read.alts[0], [&](const std::string& c) {
        return kSurnameWeight[surname_tier(c)];
      });
  for (size_t i = 1; i < n; ++i)
    out += compound && i == 1 ? read.chars[i]
                              : weigh_char(read.chars[i], read.alts[i], [](const std::string& c) {
                                  return given_name_tier(c) ? 1.f : kOtherGivenWeight;
                                });
  return out;
}

}  // namespace idcard
