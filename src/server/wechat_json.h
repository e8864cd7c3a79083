#pragma once
// The wire format: a CardResult in the exact shape of WeChat's ocr.idcard answer (the engine in
// src/idcard knows nothing of JSON).
#include <nlohmann/json.hpp>
#include <vector>

#include "idcard/card_result.h"

namespace idcard {

// errcode 0 answer: Front/Back fields (+ birth, authority extras). With detail: per-field
// confidence and pos, card_pos, img_size and validation flags.
nlohmann::json to_wechat_json(const CardResult& card, bool detail);

// The same with what the caller asked for besides (opt-in; with none asked, the answer above
// byte for byte): "warnings" and "quality", "card_image" and "portrait_image" (base64 JPEG) from
// each card's report, and "cards" (every card's answer, every_card's order) when the picture holds
// more than one card and warnings, crops or the list were asked. The top level stays the first
// card's.
nlohmann::json to_wechat_json(const CardResult& card, bool detail, const ReadOptions& options);

// Every card of a read, one side each, in the order of the answer's "cards": the first card's
// front, its back, then each further card's (CardResult::others).
std::vector<CardResult> every_card(const CardResult& card);

// Standard base64 (RFC 4648, padded).
std::string base64_encode(const std::string& bytes);

// Error answer {"errcode": code, "errmsg": msg}.
nlohmann::json wechat_error(int errcode, const std::string& errmsg);

}  // namespace idcard
