#pragma once
// Text-level rules of the card's fields: labels, nationalities, dates. Pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idcard/place_names.h"

namespace idcard {

// UTF-8 string as a sequence of code points (each a std::string), for per-character work.
std::vector<std::string> utf8_chars(std::string_view s);
std::string remove_spaces(std::string_view s);
bool ends_with(std::string_view s, std::string_view suffix);
// Every character a wide one (CJK, the middle dot): a printed name never holds Latin or digits.
bool only_wide_chars(std::string_view s);

// Index (in characters) just past a printed label at the start of text, tolerating a missing
// character of a multi-character label (姓_名, 公民身份号_); 0 if the label is not there.
size_t label_end(const std::vector<std::string>& chars, std::string_view label);

// A form's row: a colon where a label ends ("签发机关：明光市公安局", "码：2201…" of a label cut
// short, "：2008年…" of one lost), or a label no card prints
// (身份证号码, 出生日期, 联系电话: a card prints 公民身份号码 and 出生), or a form's title (…登记表,
// …核验单). A card prints its own labels
// alone, spaced from their values, never with a colon; a form beside it (a hotel's register, a
// verification sheet) prints its holder's details so.
bool is_form_row(std::string_view text);

// Snaps a reading onto the 56 nationalities (and older printed names such as 崩龙, 毛难) when it is
// one character away from exactly one of them; otherwise returns it unchanged.
std::string normalize_nationality(std::string_view text);
bool is_known_nationality(std::string_view text);

// A nationality read with misread characters, snapped where the recognizer itself considered the
// printed ones: every character of the answer is the one read or among its alternatives, the
// replacements' probability product at least 0.05 and no other nationality fitting half as well
// (the row prints one of 58 names, so what the reader saw narrows it). Empty when none fits so:
// 便便 with 傈 and 僳 among its alternatives is 傈僳; 伍 with no alternative is nothing.
std::string snap_nationality(const ReadText& read);

// "1979年12月4日" or "1979 12 4" -> "19791204"; nullopt when not a plausible date.
std::optional<std::string> parse_birth(std::string_view text);

// The printed birth row read against the number's date (YYYYMMDD, digits 7-14): when the row's
// digits spell that date (zero-padded or not, one stray digit after it allowed, as when a faint
// 日 reads as a digit), the date; otherwise parse_birth of the row. Never the number's date alone.
std::optional<std::string> parse_birth_checked(std::string_view text, std::string_view id_date);

// "2015.06.19-2035.06.19" / "2010.03.01-长期" (any separators) -> "20150619-20350619" / "20100301-长期".
// An end whose month and day are hidden ("2012.10.17-2032") ends on the start's day when its year
// is 5, 10 or 20 years on (the law's spans). One year that no card can carry (2913: before 1984 or
// after 2100), its dates' month and day alike, is read again as the one year a law's span from
// the other that differs from it in a single digit (2913 -> 2013 beside 2033), if exactly one does.
std::optional<std::string> parse_valid_period(std::string_view text);

// Removes a copy stamp's phrase read into a field's line: 复印无效, 复印禁止, 禁止复印, 复印件
// (as much of it as was read), and ("…市件仅供备案使用丰镇市…": 此件仅供…使用,
// 仅限…用): from 仅供/仅限 to the next 用 (or 使 whose 用 was not read) within ten characters, with
// up to two characters before it when they are 件 or 此 (此件).
std::string remove_stamp_phrase(std::string_view text);

// An address on the card starts with its province (GA 450): one or two characters read before a
// province name are specks of the 住址 label column, and go, as do digits and letters before them
// (the birth row's digits joined to the address's first line). Otherwise the text is unchanged.
std::string trim_before_province(std::string_view addr);

// A flat's door as printed after its building (GA 450 prints the household's address as
// registered: 4号楼5门1307, 12号楼4门604) with the 门 between the unit and the flat read as a
// digit (7, 1 or 17: its left stroke and its top-right corner): digits after the building's
// 楼/栋/幢 too many to be one flat's number, that split one way only into a unit (one digit), a
// look-alike of 门 and a flat (floor 1-60, door 01-12), get the 门 back. Otherwise unchanged.
std::string restore_unit_door(std::string_view addr);

// Normalises middle-dot look-alikes in minority names to U+00B7.
std::string normalize_name(std::string_view text);

}  // namespace idcard
