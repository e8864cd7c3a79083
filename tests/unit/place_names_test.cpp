#include "idcard/place_names.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "idcard/field_text.h"

namespace idcard {
namespace {

// A reading of `text` where the characters at the given indices were unsure, with these
// alternatives (best first, the read character itself included as the recognizer gives it).
ReadText read_of(const std::string& text, const std::map<size_t, std::vector<std::string>>& alts = {}) {
  ReadText r;
  r.chars = utf8_chars(text);
  r.alts.resize(r.chars.size());
  for (const auto& [at, choices] : alts) {
    float p = 0.6f;
    for (const auto& c : choices) r.alts[at].push_back({c, p}), p /= 3;
  }
  return r;
}

std::string address(const std::string& text, const std::map<size_t, std::vector<std::string>>& alts = {},
                    std::string_view region = {}) {
  return snap_address(text, read_of(text, alts), region);
}

std::string authority(const std::string& text, const std::map<size_t, std::vector<std::string>>& alts = {}) {
  return snap_authority(text, read_of(text, alts));
}

TEST(PlaceNamesData, EmbeddedDivisionsTable) {
  const std::string_view csv = divisions_csv();
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "code,province,city,county");
  EXPECT_NE(csv.find("341324,安徽省,宿州市,泗县"), std::string_view::npos);
}

TEST(PlaceNamesAuthority, CountyCharacterReplacedByItsAlternative) {
  EXPECT_EQ(authority("酒县公安局", {{0, {"酒", "泗", "洒"}}}), "泗县公安局");
  EXPECT_EQ(authority("清南市合阳县公安局", {{0, {"清", "渭"}}}), "渭南市合阳县公安局");
  EXPECT_EQ(authority("伸巴县公安局", {{0, {"伸", "仲"}}}), "仲巴县公安局");
}

TEST(PlaceNamesAuthority, NothingChangesWithoutTheRecognizersAlternative) {
  EXPECT_EQ(authority("酒县公安局"), "酒县公安局");                       // sure of 酒
  EXPECT_EQ(authority("酒县公安局", {{0, {"酒", "洒"}}}), "酒县公安局");  // 泗 never considered
  EXPECT_EQ(authority("泗县公安局", {{0, {"泗", "酒"}}}), "泗县公安局");  // read right: stays
}

// A long county name (five characters or more) one character off one county of its city, read
// surely wrong (a blurred 彝): the county. A short one (联城市 of 荣成市) or a city's county two off
// stays as read.
TEST(PlaceNamesAuthority, ALongCountyNameOneCharacterOffItsCitysCountyIsThatCounty) {
  EXPECT_EQ(authority("昆明市石林非族自治县公安局"), "昆明市石林彝族自治县公安局");
  EXPECT_EQ(authority("昆明市石林非非自治县公安局"), "昆明市石林非非自治县公安局");
  EXPECT_EQ(authority("威海市联城市公安局"), "威海市联城市公安局");
}

TEST(PlaceNamesAuthority, DistrictBranchOfACityBureau) {
  EXPECT_EQ(authority("韶关市公安局湖江分局", {{6, {"湖", "浈"}}}), "韶关市公安局浈江分局");
  EXPECT_EQ(authority("绍关市公安局浈江分局", {{0, {"绍", "韶"}}}), "韶关市公安局浈江分局");
  EXPECT_EQ(authority("北京市公安局朝阳分局"), "北京市公安局朝阳分局");
}

TEST(PlaceNamesAuthority, TheCitysOnlyFittingDistrictReplacesOneUnsureCharacter) {
  // 临沧市 has one district, 临翔区; 白城市 one, 洮北区. The reader was unsure of 期 and 浦 but
  // never considered 翔 or 洮.
  EXPECT_EQ(authority("临沧市公安局临期分局", {{7, {"期", "现"}}}), "临沧市公安局临翔分局");
  EXPECT_EQ(authority("白城市公安局浦北分局", {{6, {"浦", "湖"}}}), "白城市公安局洮北分局");
  // Read sure, it stays: the reader saw 期 clearly.
  EXPECT_EQ(authority("临沧市公安局临期分局"), "临沧市公安局临期分局");
  // Two characters off, or a district of another city, is no fit.
  EXPECT_EQ(authority("临沧市公安局汤期分局", {{6, {"汤", "温"}}, {7, {"期", "现"}}}),
            "临沧市公安局汤期分局");
  EXPECT_EQ(authority("韶关市公安局临期分局", {{7, {"期", "现"}}}), "韶关市公安局临期分局");
  // 北京市's 东城区 and 西城区 both fit "X城分局" by one unsure character: left as read.
  EXPECT_EQ(authority("北京市公安局夏城分局", {{6, {"夏", "复"}}}), "北京市公安局夏城分局");
}

TEST(PlaceNamesAuthority, BureauWhoseLastCharacterWasHidden) {
  EXPECT_EQ(authority("眉山市仁寿县公安"), "眉山市仁寿县公安局");
  EXPECT_EQ(authority("眉山市仁寿县公安局"), "眉山市仁寿县公安局");
}

TEST(PlaceNamesAuthority, ABureausOwnWordMisreadIsPutBack) {
  // 局 read as another character, at the end or before a district's branch; 局 lost before it.
  EXPECT_EQ(authority("新昌县公安展"), "新昌县公安局");
  EXPECT_EQ(authority("七台河市公安易新兴分局"), "七台河市公安局新兴分局");
  EXPECT_EQ(authority("七台河市公安新兴分局"), "七台河市公安局新兴分局");
  // And then a district's unsure character, as for any city bureau's branch.
  EXPECT_EQ(authority("福州市公安商数楼分局", {{6, {"数", "敦"}}}), "福州市公安局鼓楼分局");
  // The county's suffix before 公安局.
  EXPECT_EQ(authority("永德最公安局"), "永德县公安局");
  // A place name's own character is not this repair's: left as read.
  EXPECT_EQ(authority("韶关市公安局湖江分局"), "韶关市公安局湖江分局");
  EXPECT_EQ(authority("景东舞族自治县公安局"), "景东舞族自治县公安局");
}

TEST(PlaceNamesAuthority, KnownBureausReadExactly) {
  EXPECT_TRUE(is_known_authority("景东彝族自治县公安局"));
  EXPECT_TRUE(is_known_authority("苏州市常熟市公安局"));
  EXPECT_TRUE(is_known_authority("韶关市公安局浈江分局"));
  EXPECT_TRUE(is_known_authority("成都市公安局双流分局"));
  // One character off a known name (the fast reader's 舞 for 彝, 湖 for 浈): not known.
  EXPECT_FALSE(is_known_authority("景东舞族自治县公安局"));
  EXPECT_FALSE(is_known_authority("韶关市公安局湖江分局"));
  // A district of another city, a bureau without a place, or no bureau at all.
  EXPECT_FALSE(is_known_authority("韶关市公安局双流分局"));
  EXPECT_FALSE(is_known_authority("公安局"));
  EXPECT_FALSE(is_known_authority("景东彝族自治县"));
  EXPECT_FALSE(is_known_authority("景东彝族自治县公安局分局"));
}

TEST(PlaceNamesAddress, WalksProvinceCityCountyAmongChildren) {
  EXPECT_EQ(address("湖南省怀化市叙浦县站前南路155号", {{6, {"叙", "溆"}}}),
            "湖南省怀化市溆浦县站前南路155号");
  EXPECT_EQ(address("福建省蘭田市荔城区北高镇", {{3, {"蘭", "莆"}}}), "福建省莆田市荔城区北高镇");
  // Only the first place names: the street keeps what was read, alternatives or not.
  EXPECT_EQ(address("福建省莆田市荔城区北高镇吕绪电村", {{14, {"电", "屯"}}}),
            "福建省莆田市荔城区北高镇吕绪电村");
}

TEST(PlaceNamesAddress, AnAddressWordsUnsureCharacterIsPutBack) {
  // 公寓 read 公离 with 寓 considered; 嘎查 read 吸查 with 嘎 considered.
  EXPECT_EQ(address("北京市大兴区魏善庄镇文化路240号康城公离4号楼", {{20, {"离", "寓"}}}),
            "北京市大兴区魏善庄镇文化路240号康城公寓4号楼");
  EXPECT_EQ(address("山东省济宁市邹城市大束镇前玛尼吐吸查220号", {{16, {"吸", "嘎"}}}),
            "山东省济宁市邹城市大束镇前玛尼吐嘎查220号");
  // Not considered, not put back; a word read as another word stays (公园 is one).
  EXPECT_EQ(address("北京市大兴区魏善庄镇康城公离4号楼", {{13, {"离", "高"}}}),
            "北京市大兴区魏善庄镇康城公离4号楼");
  EXPECT_EQ(address("北京市大兴区魏善庄镇人民公园1号", {{12, {"公", "花"}}}),
            "北京市大兴区魏善庄镇人民公园1号");
}

// A number's unit misread after its digits (1号楼1D1103) is the unit the reader considered; a
// stroke of the unit read apart before it (1/门1103) goes, one glyph read as two.
TEST(PlaceNamesAddress, AUnitAfterADigitIsPutBackOnce) {
  EXPECT_EQ(address("北京市大兴区魏善庄镇1号楼1口1103", {{14, {"口", "门"}}}),
            "北京市大兴区魏善庄镇1号楼1门1103");
  EXPECT_EQ(address("北京市大兴区魏善庄镇1号楼1/门1103", {{14, {"/", "门"}}}),
            "北京市大兴区魏善庄镇1号楼1门1103");
}

TEST(PlaceNamesAddress, TownAmongTheCountysTowns) {
  EXPECT_EQ(address("贵州省毕节市纳雍县库东关彝族白族苗族乡花园路", {{9, {"库", "厍"}}}),
            "贵州省毕节市纳雍县厍东关彝族白族苗族乡花园路");
  EXPECT_EQ(address("四川省绵阳市安州区花黄镇张宋新村", {{10, {"黄", "荄"}}}),
            "四川省绵阳市安州区花荄镇张宋新村");
  // A town of another county is no candidate.
  EXPECT_EQ(address("四川省绵阳市涪城区花黄镇", {{10, {"黄", "荄"}}}), "四川省绵阳市涪城区花黄镇");
}

TEST(PlaceNamesAddress, NoProvinceNoSnapping) {
  EXPECT_EQ(address("问顶山市鲁山县张", {{5, {"山", "出"}}}), "问顶山市鲁山县张");
}

TEST(PlaceNamesAddress, TextWithCharactersDroppedStillLinesUp) {
  // The assembled address lost a stamp's phrase that the reading still has.
  ReadText read = read_of("湖南省怀化市仅限使用叙浦县", {{10, {"叙", "溆"}}});
  EXPECT_EQ(snap_address("湖南省怀化市叙浦县", read), "湖南省怀化市溆浦县");
}

// Glare washed out the address's first character and the reader dropped it: the province whose
// name ends so and holds the city read next gets it back; where two would, the reading stands.
TEST(PlaceNamesAddress, AProvincesLostFirstCharactersComeBackWhereItsCityFollows) {
  EXPECT_EQ(address("西省运城市绛县公园路167号"), "山西省运城市绛县公园路167号");
  EXPECT_EQ(address("西省西安市雁塔区小寨路1号"), "陕西省西安市雁塔区小寨路1号");
  EXPECT_EQ(address("京市东城区东四大街9号"), "北京市东城区东四大街9号");
  EXPECT_EQ(address("西省公园路167号"), "西省公园路167号");  // 山西 or 陕西: no city says
  EXPECT_EQ(address("省运城市绛县"), "省运城市绛县");        // one character is too little
  // A city's name lost after its province: its 市 and one of its districts say which.
  EXPECT_EQ(address("河南省市龙安区龙泉镇"), "河南省安阳市龙安区龙泉镇");
  EXPECT_EQ(address("河南省市龙泉镇"), "河南省市龙泉镇");
}

TEST(PlaceNamesAddress, TiesAreLeftAloneUnlessTheNumbersRegionSettlesThem) {
  // 东城区 and 西城区 of 北京市 both fit "X城区" with an equally likely alternative.
  ReadText read = read_of("北京市夏城区", {});
  read.alts[3] = {{"夏", 0.4f}, {"东", 0.3f}, {"西", 0.3f}};
  EXPECT_EQ(snap_address("北京市夏城区", read), "北京市夏城区");
  EXPECT_EQ(snap_address("北京市夏城区", read, "110102"), "北京市西城区");
}

TEST(PlaceNamesAddress, TheNumbersOwnDivisionReplacesOneUnconsideredCharacter) {
  // 640381 is 宁夏回族自治区吴忠市青铜峡市: a blurred 自 read as 0, with no alternative.
  EXPECT_EQ(address("宁夏回族0治区吴忠市青铜峡市解放巷287号", {}, "640381"),
            "宁夏回族自治区吴忠市青铜峡市解放巷287号");
  // Without the number, or with another division's number, nothing is replaced.
  EXPECT_EQ(address("宁夏回族0治区吴忠市青铜峡市解放巷287号"), "宁夏回族0治区吴忠市青铜峡市解放巷287号");
  EXPECT_EQ(address("宁夏回族0治区吴忠市青铜峡市解放巷287号", {}, "110102"),
            "宁夏回族0治区吴忠市青铜峡市解放巷287号");
  // Two unconsidered characters in one name are a different name, or no name.
  EXPECT_EQ(address("宁夏回0区吴忠市", {}, "640381"), "宁夏回0区吴忠市");
  // Names under four characters never: 吴忠市 against 吴中市 is one character of three.
  EXPECT_EQ(address("宁夏回族自治区吴中市", {}, "640381"), "宁夏回族自治区吴中市");
}

}  // namespace
}  // namespace idcard
