#pragma once
// The reports a caller asks for (ReadOptions) on the cards of a read: each card's warnings and
// quality (card_quality's image measures and card_checks' rules) and its crops.
#include <opencv2/core.hpp>
#include <string_view>

#include "idcard/card_result.h"

namespace idcard {

// `img`: the picture the cards' positions are in (before they are scaled to the picture as sent
// by `scale`).
void add_reports(CardResult& card, const cv::Mat& img, float scale, const ReadOptions& options);

// Sets the crops a comma list asks for ("card", "portrait", "card,portrait"; empty: none).
// False on any other word, leaving `options` as it was.
bool parse_crop_list(std::string_view list, ReadOptions& options);

// The short zh-CN text shown for a warning code.
const char* warning_message(const std::string& code);

}  // namespace idcard
