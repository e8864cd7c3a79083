#pragma once
// The validation flags of a read card: ID format and checksum, birth and gender against the
// number, the back's validity span. Pure functions, unit-tested.
#include <string>
#include <vector>

#include "idcard/card_result.h"

namespace idcard {

// 20150619-20350619: the same day 5, 10 or 20 years on; or 20100301-长期. A temporary card's:
// the same day three months on (20250520-20250820; the month's last day where it has none).
bool valid_span_ok(const std::string& period, bool temporary = false);

// Whether a back's title, as read, names a temporary card (临时居民身份证).
bool temporary_title(const std::string& line_text);

// Every flag of Checks except id_corrected (which only the reading knows). A field taken from the
// number is not checked against it.
Checks compute_checks(const CardResult& card);

// A front whose birth date or gender did not read (a stamp, glare) takes it from its number, when
// the number reads whole and its check character holds: every card's number encodes both.
void complete_from_id(FrontFields& front);

// The rule warnings of a read card (no image needed): `number_mismatch` on a front whose check
// character fails or whose printed birth date or gender disagree with its number; on a back,
// `invalid_date` when the period is not 5/10/20 years or 长期, or does not fit the age at issue
// (the front's birth, when read), and `expired` when it ended before `today` (YYYYMMDD; empty:
// not checked).
std::vector<std::string> front_rule_warnings(const FrontFields& front);

// Whether a front and a back read in one picture are one holder's: the back's bureau is of the
// place the front's address names (a card is issued where its holder's household is registered).
// Two people's cards photographed together (one's front, the other's back) are not, and the
// back's period is then not judged by the other's birth date. False when either is not read.
bool same_holder(const FrontFields& front, const BackFields& back);
std::vector<std::string> back_rule_warnings(const BackFields& back, const std::string& birth,
                                            const std::string& today);

}  // namespace idcard
