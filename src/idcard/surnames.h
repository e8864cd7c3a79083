#pragma once
// The name's first character weighed by how many people carry it as a surname. A blurred name's
// surname is often read as a character no family carries (病心 for 俞心, 甸玉 for 何玉) while the
// reader itself considered the printed one; a prior over surnames puts it back.
#include <string>
#include <string_view>

#include "idcard/place_names.h"

namespace idcard {

// How common `ch` (one UTF-8 character) is as a surname: 2 among the few hundred carried by
// nearly everyone, 1 for the classic rarer ones (百家姓), 0 for a character no common surname is.
int surname_tier(std::string_view ch);

// Whether the people of `nationality` mostly carry Chinese family names (汉, 壮, 回, 满, ...);
// names of other traditions (藏, 维吾尔, 蒙古, ...) start with a given name, not a surname.
bool has_chinese_surnames(std::string_view nationality);

// `name` as read, with its first character replaced by the alternative the reader considered
// whose probability, weighed by how common it is as a surname, beats the character read the same
// way (weights 1, 0.1, 0.01 by tier). `first` holds what the reader considered for that character
// (best first, the character read among them); empty (a sure read) leaves the name as it is.
// Only for names of a nationality with Chinese surnames; names with "·" are left alone.
std::string weigh_surname(std::string_view name, const CharAlternatives& first, std::string_view nationality);

}  // namespace idcard
