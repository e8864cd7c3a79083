#pragma once
// What people are named: a name's characters weighed by how many people carry them. A blurred
// name is often read as characters no family carries (病心 for 俞心, 甸玉 for 何玉) or no parent
// names a child with (陈琼券 for 陈琼燕, 齐管媛 for 齐萱媛) while the reader itself considered the
// printed ones; a prior over surnames and given-name characters puts them back.
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

// 1 for a character people are given as a name (the few hundred most used, and the rarer ones of
// level 3 of the 通用规范汉字表 that names and places need), 0 for any other.
int given_name_tier(std::string_view ch);

// `read` (a name's characters as read, each with what the reader considered: empty where sure)
// with each unsure character replaced by the alternative whose probability, weighed by how common
// it is there, beats the character read weighed the same way: the first character by surname_tier
// (weights 1, 0.1, 0.01), the others by given_name_tier (1, or 0.05 for an unlisted character).
// Only for names of two to four characters of a nationality with Chinese surnames; names with "·"
// and compound surnames (欧阳, 上官: never replaced) keep the characters they begin with.
std::string weigh_name(const ReadText& read, std::string_view nationality);

}  // namespace idcard
