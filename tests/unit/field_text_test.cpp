#include "idcard/field_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace idcard {
namespace {

size_t label_end_of(const std::string& text, std::string_view label) {
  return label_end(utf8_chars(text), label);
}

TEST(FieldTextUtf8, SplitsCodePointsAndRemovesSpaces) {
  EXPECT_EQ(utf8_chars("姓名A1·"), (std::vector<std::string>{"姓", "名", "A", "1", "·"}));
  EXPECT_TRUE(utf8_chars("").empty());
  EXPECT_EQ(remove_spaces(" 汉\t族 "), "汉族");
}

TEST(FieldTextLabelEnd, ExactLabel) {
  EXPECT_EQ(label_end_of("姓名张三", "姓名"), 2u);
  EXPECT_EQ(label_end_of("姓名", "姓名"), 2u);
  EXPECT_EQ(label_end_of("出生1990年1月2日", "出生"), 2u);
  EXPECT_EQ(label_end_of("公民身份号码11010519491231002X", "公民身份号码"), 6u);
  EXPECT_EQ(label_end_of("签发机关北京市公安局", "签发机关"), 4u);
}

TEST(FieldTextLabelEnd, OneMisreadCharacter) {
  EXPECT_EQ(label_end_of("公民身价号码11010519491231002X", "公民身份号码"), 6u);
  EXPECT_EQ(label_end_of("有郊期限2015.06.19-2035.06.19", "有效期限"), 4u);
  // Up to two misread in a long label, as long as its first and last characters are right.
  EXPECT_EQ(label_end_of("公氏身价号码110105", "公民身份号码"), 6u);
  // A two-character label with its last character misread: only the first is taken as label.
  EXPECT_EQ(label_end_of("姓各张三", "姓名"), 1u);
}

TEST(FieldTextLabelEnd, OneDroppedCharacter) {
  EXPECT_EQ(label_end_of("公民身号码11010519491231002X", "公民身份号码"), 5u);
  EXPECT_EQ(label_end_of("民身份号码11010519491231002X", "公民身份号码"), 5u);
  EXPECT_EQ(label_end_of("有效期2015.06.19-2035.06.19", "有效期限"), 3u);
  EXPECT_EQ(label_end_of("姓张三", "姓名"), 1u);
}

TEST(FieldTextLabelEnd, NoLabel) {
  EXPECT_EQ(label_end_of("张三", "姓名"), 0u);
  EXPECT_EQ(label_end_of("", "姓名"), 0u);
  EXPECT_EQ(label_end_of("姓", "姓名"), 0u);      // shorter than the label
  EXPECT_EQ(label_end_of("名张三", "姓名"), 0u);  // a short label must start right
  EXPECT_EQ(label_end_of("北京市东城区", "住址"), 0u);
  EXPECT_EQ(label_end_of("整发机关某某县公安局", "签发机关"), 0u);  // first character wrong
  EXPECT_EQ(label_end_of("11010519491231002X", "公民身份号码"), 0u);
}

TEST(FieldTextFormRow, ALabelWithAColonOrALabelNoCardPrints) {
  EXPECT_TRUE(is_form_row("签发机关：明光市公安局"));
  EXPECT_TRUE(is_form_row("有效期限：2023.02.09-2043.02.09"));
  EXPECT_TRUE(is_form_row("姓名:吕月"));
  EXPECT_TRUE(is_form_row("姓 名 ： 吕月"));
  EXPECT_TRUE(is_form_row("码：220113200810173224"));        // its label cut by the picture's edge
  EXPECT_TRUE(is_form_row("：2008年10月17日"));              // its label lost
  EXPECT_TRUE(is_form_row("身份证号码150523199704270929"));  // a card prints 公民身份号码
  EXPECT_TRUE(is_form_row("出生日期1997年4月27日"));         // a card prints 出生
  EXPECT_TRUE(is_form_row("身份信息核验单"));                // a form's title
  EXPECT_TRUE(is_form_row("个人信息登记表"));
  // A card's own rows, read with or without their labels, misread or not.
  EXPECT_FALSE(is_form_row("签发机关明光市公安局"));
  EXPECT_FALSE(is_form_row("有效期限2023.02.09-2043.02.09"));
  EXPECT_FALSE(is_form_row("姓名吕月"));
  EXPECT_FALSE(is_form_row("出生1997年4月27日"));
  EXPECT_FALSE(is_form_row("公民身份号码150523199704270929"));
  EXPECT_FALSE(is_form_row("150523199704270929"));
  EXPECT_FALSE(is_form_row("明光市公安局"));
  EXPECT_FALSE(is_form_row("幸福华庭8号楼5单"));  // an address row broken inside 单元
  EXPECT_FALSE(is_form_row("登记表"));            // the word alone is no title
  EXPECT_FALSE(is_form_row(""));
  EXPECT_FALSE(is_form_row("2021:11.29-长期"));             // a period's dot read as a colon
  EXPECT_FALSE(is_form_row("姓名："));                      // no value after it
  EXPECT_FALSE(is_form_row("北京市东城区景山前街4号院:"));  // not where a label ends
}

TEST(FieldTextNationality, StripsTheSuffixAndKeepsKnownNames) {
  EXPECT_EQ(normalize_nationality("汉族"), "汉");
  EXPECT_EQ(normalize_nationality("汉"), "汉");
  EXPECT_EQ(normalize_nationality(" 汉 族"), "汉");
  EXPECT_EQ(normalize_nationality("土家族"), "土家");
  EXPECT_EQ(normalize_nationality("维吾尔"), "维吾尔");
  EXPECT_EQ(normalize_nationality("毛难"), "毛难");  // older printed name kept as printed
  EXPECT_TRUE(is_known_nationality("崩龙"));
  EXPECT_FALSE(is_known_nationality("汉族"));
}

TEST(FieldTextNationality, SnapsOneCharacterOff) {
  EXPECT_EQ(normalize_nationality("维吾儿"), "维吾尔");
  EXPECT_EQ(normalize_nationality("蒙占族"), "蒙古");
  EXPECT_EQ(normalize_nationality("乌孜别"), "乌孜别克");      // one dropped
  EXPECT_EQ(normalize_nationality("哈萨"), "哈萨");            // one off both 哈萨克 and 哈尼
  EXPECT_EQ(normalize_nationality("柯尔克孜孜"), "柯尔克孜");  // one extra
  // The 民族 label misread in front (我春) of a value one character off: 民族俄罗斯.
  EXPECT_EQ(normalize_nationality("我春微罗斯"), "俄罗斯");
  EXPECT_EQ(normalize_nationality("春微罗斯"), "俄罗斯");
  EXPECT_EQ(normalize_nationality("我春哈萨"), "我春哈萨");  // one off two names: left as read
}

// Onto what the reader itself saw, never a guess: the replaced characters must be among the
// alternatives with enough probability, and one nationality must fit clearly better than any other.
TEST(FieldTextNationality, SnapsOntoTheReadersAlternativesOnly) {
  using A = CharAlternatives;
  const ReadText lisu{{"便", "便"}, {A{{"便", 0.5f}, {"傈", 0.4f}}, A{{"便", 0.6f}, {"僳", 0.3f}}}};
  EXPECT_EQ(snap_nationality(lisu), "傈僳");
  const ReadText han{{"泼"}, {A{{"泼", 0.7f}, {"汉", 0.2f}}}};
  EXPECT_EQ(snap_nationality(han), "汉");
  EXPECT_EQ(snap_nationality({{"泼", "族"}, {A{{"泼", 0.7f}, {"汉", 0.2f}}, A{}}}), "汉");  // 族 printed
  // The printed character not among the alternatives, or only faintly: nothing.
  EXPECT_EQ(snap_nationality({{"伍"}, {A{}}}), "");
  EXPECT_EQ(snap_nationality({{"泼"}, {A{{"泼", 0.97f}, {"汉", 0.01f}}}}), "");
  // Two nationalities fit about as well (苗 0.2, 回 0.15): nothing.
  EXPECT_EQ(snap_nationality({{"亩"}, {A{{"亩", 0.5f}, {"苗", 0.2f}, {"回", 0.15f}}}}), "");
  // A sure character that is no nationality's stays: 便 sure, no alternative.
  EXPECT_EQ(snap_nationality({{"便", "便"}, {A{}, A{{"便", 0.6f}, {"僳", 0.3f}}}}), "");
}

TEST(FieldTextNationality, LeadingSpeckOfTheLabel) {
  EXPECT_EQ(normalize_nationality("底汉"), "汉");
  EXPECT_EQ(normalize_nationality("族回"), "回");
  EXPECT_EQ(normalize_nationality("l苗族"), "苗");
  EXPECT_EQ(normalize_nationality("底告汉"), "汉");      // the whole label misread
  EXPECT_EQ(normalize_nationality("维吾水"), "维吾尔");  // a misread name first, not 水 behind a label
}

TEST(FieldTextNationality, UnknownOrAmbiguousStaysAsRead) {
  EXPECT_EQ(normalize_nationality("火星"), "火星");
  EXPECT_EQ(normalize_nationality("汊"), "汊");      // single-character names are never snapped
  EXPECT_EQ(normalize_nationality("毛男"), "毛男");  // one off both 毛南 and 毛难
  EXPECT_EQ(normalize_nationality(""), "");
}

TEST(FieldTextBirth, ParsesPrintedDates) {
  EXPECT_EQ(parse_birth("1979年12月4日"), "19791204");
  EXPECT_EQ(parse_birth("1979 12 4"), "19791204");
  EXPECT_EQ(parse_birth("出生 1990年1月2日"), "19900102");
  EXPECT_EQ(parse_birth("19791204"), "19791204");
  EXPECT_EQ(parse_birth("1979年12月04日"), "19791204");
}

TEST(FieldTextBirth, RejectsImplausibleDates) {
  EXPECT_EQ(parse_birth("1979年13月4日"), std::nullopt);
  EXPECT_EQ(parse_birth("1979年0月4日"), std::nullopt);
  EXPECT_EQ(parse_birth("1979年12月32日"), std::nullopt);
  EXPECT_EQ(parse_birth("1979年12月0日"), std::nullopt);
  EXPECT_EQ(parse_birth("1849年1月1日"), std::nullopt);
  EXPECT_EQ(parse_birth("2101年1月1日"), std::nullopt);
  EXPECT_EQ(parse_birth("79年12月4日"), std::nullopt);
  EXPECT_EQ(parse_birth("1979年12月"), std::nullopt);
  EXPECT_EQ(parse_birth("19791304"), std::nullopt);
  EXPECT_EQ(parse_birth("1979120"), std::nullopt);
  EXPECT_EQ(parse_birth(""), std::nullopt);
  EXPECT_EQ(parse_birth("张三"), std::nullopt);
}

// Known gap: plausible_date accepts any day up to 31 in any month (id_birth_date does not).
TEST(FieldTextBirth, RejectsDaysPastTheEndOfTheMonth) {
  EXPECT_EQ(parse_birth("1979年2月30日"), std::nullopt);
  EXPECT_EQ(parse_birth("1979年4月31日"), std::nullopt);
}

TEST(FieldTextBirthChecked, RowDigitsThatSpellTheIdDate) {
  EXPECT_EQ(parse_birth_checked("1992 1223 8", "19921223"), "19921223");  // faint 日 read as 8
  EXPECT_EQ(parse_birth_checked("1979 12 4", "19791204"), "19791204");
  EXPECT_EQ(parse_birth_checked("1990年1月2日", "19900102"), "19900102");
  EXPECT_EQ(parse_birth_checked("19900102", "19900102"), "19900102");
  // The day's group run on into its 日 (2日 read 213): the day 2 or 21, the number says which.
  EXPECT_EQ(parse_birth_checked("2004年1月213", "20040102"), "20040102");
  EXPECT_EQ(parse_birth_checked("2004年1月213", "20040121"), "20040121");
  // A one-digit day's 日 read as a digit, nothing read after it (10月2日 read 10月29): the
  // number's 2nd. With its 日 read, or the number saying another day, the row stands.
  EXPECT_EQ(parse_birth_checked("1957年10月29", "19571002"), "19571002");
  EXPECT_EQ(parse_birth_checked("1957年10月29日", "19571002"), "19571029");
  EXPECT_EQ(parse_birth_checked("1957年10月29", "19571003"), "19571029");
  EXPECT_EQ(parse_birth_checked("1957年10月29", "19571029"), "19571029");
}

TEST(FieldTextBirthChecked, DisagreeingDigitsFallBackToTheRow) {
  EXPECT_EQ(parse_birth_checked("1979 12 5", "19791204"), "19791205");
  EXPECT_EQ(parse_birth_checked("1980年12月4日", "19791204"), "19801204");
  EXPECT_EQ(parse_birth_checked("1992 1223 88", "19921223"), std::nullopt);  // two stray digits
  // Row digits not spelling the id date are never replaced by it.
  EXPECT_EQ(parse_birth_checked("1979", "19791204"), std::nullopt);
  EXPECT_EQ(parse_birth_checked("", "19791204"), std::nullopt);
  EXPECT_EQ(parse_birth_checked("1979 12", "19791204"), std::nullopt);
  // Without an id date it is parse_birth.
  EXPECT_EQ(parse_birth_checked("1979年12月4日", ""), "19791204");
}

// Bug: the row's digit groups are concatenated before comparing, so a row that spells another
// date with the same digits (Nov 1 vs Jan 11, Jan 24 vs Dec 4) is reported as the id's date,
// hiding the mismatch that birth_matches_id should catch. parse_birth of these rows disagrees.
TEST(FieldTextBirthChecked, DifferentDateWithTheSameDigitsIsNotTheIdDate) {
  EXPECT_EQ(parse_birth("1991年11月1日"), "19911101");
  EXPECT_EQ(parse_birth_checked("1991年11月1日", "19910111"), std::string("19911101"));
  EXPECT_EQ(parse_birth_checked("1979年1月24日", "19791204"), std::string("19790124"));
}

TEST(FieldTextValidPeriod, ParsesBothForms) {
  EXPECT_EQ(parse_valid_period("2015.06.19-2035.06.19"), "20150619-20350619");
  EXPECT_EQ(parse_valid_period("2015-06-19至2035-06-19"), "20150619-20350619");
  EXPECT_EQ(parse_valid_period("有效期限2015.06.19-2035.06.19"), "20150619-20350619");
  EXPECT_EQ(parse_valid_period("2010.03.01-长期"), "20100301-长期");
  EXPECT_EQ(parse_valid_period("2010.03.01-长"), "20100301-长期");
}

TEST(FieldTextValidPeriod, AYearNoCardCarriesIsReadAgainFromTheOther) {
  // 2913 (a blurred 0 read 9): of 2028, 2023 and 2013 only 2013 is one digit off.
  EXPECT_EQ(parse_valid_period("2913.02.11-2033.02:11"), "20130211-20330211");
  EXPECT_EQ(parse_valid_period("2015.06.19-2935.06.19"), "20150619-20350619");
  EXPECT_EQ(parse_valid_period("1015.06.19-2025.06.19"), "20150619-20250619");
  // No law's span a digit away (7030: 2020, 2025 and 2035 are all two or more off), month and day
  // that disagree, or both years impossible: no period.
  EXPECT_EQ(parse_valid_period("2015.06.19-7030.06.19"), std::nullopt);
  EXPECT_EQ(parse_valid_period("2913.02.11-2033.03.11"), std::nullopt);
  EXPECT_EQ(parse_valid_period("2913.02.11-2933.02.11"), std::nullopt);
  // Both years possible: an odd span is read as printed (invalid_date tells it), never mended.
  EXPECT_EQ(parse_valid_period("2015.06.19-2031.06.19"), "20150619-20310619");
}

TEST(FieldTextValidPeriod, AnEndDayNoCalendarHasIsTheStartsDay) {
  // 2036.0010: the end's 6 read 0, month 00; ten years on from the start's day.
  EXPECT_EQ(parse_valid_period("2016.06.10-2036.0010"), "20160610-20360610");
  EXPECT_EQ(parse_valid_period("2016.06.10-2021.06.40"), "20160610-20210610");
  // Two digits off, or a span no card has: no period.
  EXPECT_EQ(parse_valid_period("2016.06.10-2036.00.40"), std::nullopt);
  EXPECT_EQ(parse_valid_period("2016.06.10-2035.00.10"), std::nullopt);
}

TEST(FieldTextValidPeriod, RejectsGarbage) {
  EXPECT_EQ(parse_valid_period(""), std::nullopt);
  EXPECT_EQ(parse_valid_period("中华人民共和国"), std::nullopt);
  EXPECT_EQ(parse_valid_period("2015.06.19-2035.06.1"), std::nullopt);   // 15 digits
  EXPECT_EQ(parse_valid_period("2015.06.19-2035.13.19"), std::nullopt);  // month 13
  EXPECT_EQ(parse_valid_period("2015.06.19"), std::nullopt);             // no end, no 长期
  EXPECT_EQ(parse_valid_period("2010.13.01-长期"), std::nullopt);
  EXPECT_EQ(parse_valid_period("6222021234567890"), std::nullopt);  // bank card: not dates
  EXPECT_EQ(parse_valid_period("11010519491231002X"), std::nullopt);
}

TEST(FieldTextName, NormalisesMiddleDots) {
  const std::string dot = "\u00B7";
  EXPECT_EQ(normalize_name("阿依古丽•买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽・买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽‧买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽∙买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽.买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽-买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("阿依古丽·买买提"), "阿依古丽" + dot + "买买提");
  EXPECT_EQ(normalize_name("张 三"), "张三");
  EXPECT_EQ(normalize_name("张三"), "张三");
}

TEST(FieldTextPeriod, EndWhoseMonthAndDayAreHidden) {
  EXPECT_EQ(parse_valid_period("2012.10.17-2032"), "20121017-20321017");
  EXPECT_EQ(parse_valid_period("2012.10.17-2031"), std::nullopt);  // no span the law knows
  EXPECT_EQ(parse_valid_period("201210172032"), std::nullopt);     // digits alone: no period
}

TEST(FieldTextBirth, DayWhoseMarkWasReadAsADigit) {
  EXPECT_EQ(parse_birth_checked("1969年3月59", "19690305"), "19690305");
  EXPECT_EQ(parse_birth_checked("1969年3月59", "19690309"), std::nullopt);  // the number disagrees
}

TEST(FieldTextBirth, SpecksOfTheLabelColumnBeforeTheYear) {
  EXPECT_EQ(parse_birth(" 2 1969≈3 月 9 日"), "19690309");
  EXPECT_EQ(parse_birth_checked("5 2 1969≈3 月 9 日", "19690309"), "19690309");
  EXPECT_EQ(parse_birth("12 3 4"), std::nullopt);  // no year: nothing dropped, no date
}

TEST(FieldTextStamp, StampPhraseReadIntoAnAddressIsRemoved) {
  EXPECT_EQ(remove_stamp_phrase("内蒙古自治区乌兰察布市件仅供备案使用丰镇市工农巷73号"),
            "内蒙古自治区乌兰察布市丰镇市工农巷73号");
  EXPECT_EQ(remove_stamp_phrase("广东省仅限BDCI比赛使用深圳市"), "广东省深圳市");
  EXPECT_EQ(remove_stamp_phrase("此件仅供办理银行卡使用"), "");
  EXPECT_EQ(remove_stamp_phrase("四川省乐山市沐川县底堡复印无"),
            "四川省乐山市沐川县底堡");  // 复印无效 over the line
  EXPECT_EQ(remove_stamp_phrase("禁止复印张三"), "张三");
  EXPECT_EQ(remove_stamp_phrase("复印件"), "");
  EXPECT_EQ(remove_stamp_phrase("内蒙古自治区乌兰察布市件仅供备案使丰镇市"),
            "内蒙古自治区乌兰察布市丰镇市");  // 用 not read
  // 复印件 with its 复 cut off by the box: the 印 goes with the phrase, not into the address.
  EXPECT_EQ(remove_stamp_phrase("印件仅供备案使"), "");
  EXPECT_EQ(remove_stamp_phrase("此复印件仅供备案使用"), "");
}

TEST(FieldTextStamp, AddressesWithoutAStampAreLeftAlone) {
  EXPECT_EQ(remove_stamp_phrase("河南省新乡市新乡县古固寨镇"), "河南省新乡市新乡县古固寨镇");
  // 仅 alone, or 仅供 with no 用 within reach, is text.
  EXPECT_EQ(remove_stamp_phrase("仅家村"), "仅家村");
  EXPECT_EQ(remove_stamp_phrase("仅供村一组二组三组四组五组六组用"), "仅供村一组二组三组四组五组六组用");
}

TEST(FieldTextAddress, SpecksBeforeTheProvinceGo) {
  EXPECT_EQ(trim_before_province("超四川省眉山市仁寿县"), "四川省眉山市仁寿县");
  EXPECT_EQ(trim_before_province("1福建省泉州市"), "福建省泉州市");
  EXPECT_EQ(trim_before_province("址1内蒙古自治区赤峰市"), "内蒙古自治区赤峰市");
  EXPECT_EQ(trim_before_province("196929山西省晋中市榆次区"), "山西省晋中市榆次区");
  EXPECT_EQ(trim_before_province("196644开2湖南省怀化市"), "湖南省怀化市");
  EXPECT_EQ(trim_before_province("开发区西路山西省"), "开发区西路山西省");  // no province where it starts
}

TEST(FieldTextAddress, AddressesStartingRightOrUnknownAreKept) {
  EXPECT_EQ(trim_before_province("广东省深圳市"), "广东省深圳市");
  EXPECT_EQ(trim_before_province("东省广州市从化区"),
            "东省广州市从化区");  // a lost first character is not invented
  EXPECT_EQ(trim_before_province("某某路三号北京大厦"),
            "某某路三号北京大厦");  // a province further in is text
}

TEST(FieldText, RestoreUnitDoorPutsBackAMisreadDoor) {
  // 门 read as 7, 1 7 or a 7 across a line break: one split only fits a unit, a door and a flat.
  EXPECT_EQ(restore_unit_door("浙江省绍兴市上虞区振兴东路87号阳光小区5号楼671003"),
            "浙江省绍兴市上虞区振兴东路87号阳光小区5号楼6门1003");
  EXPECT_EQ(restore_unit_door("河南省新乡市长垣市府前北路186号碧水嘉园12号楼417604"),
            "河南省新乡市长垣市府前北路186号碧水嘉园12号楼4门604");
  EXPECT_EQ(restore_unit_door("福建省漳州市南靖县振兴大道1号丽都宿舍16号楼47807"),
            "福建省漳州市南靖县振兴大道1号丽都宿舍16号楼4门807");
  EXPECT_EQ(restore_unit_door("某小区3栋571307室"), "某小区3栋5门1307室");
}

TEST(FieldText, RestoreUnitDoorLeavesWhatFitsAsPrinted) {
  EXPECT_EQ(restore_unit_door("某小区4号楼5门1307"), "某小区4号楼5门1307");
  EXPECT_EQ(restore_unit_door("某小区29号楼2404"), "某小区29号楼2404");  // a flat's number alone
  EXPECT_EQ(restore_unit_door("某小区9号楼31304"), "某小区9号楼31304");  // 3门1304 or 3门304: left
  EXPECT_EQ(restore_unit_door("某小区8栋2单元1506室"), "某小区8栋2单元1506室");
  EXPECT_EQ(restore_unit_door("某小区3号楼123456"), "某小区3号楼123456");  // no split fits
  EXPECT_EQ(restore_unit_door("某村12号"), "某村12号");
}

}  // namespace
}  // namespace idcard
