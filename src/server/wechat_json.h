#pragma once
// The wire format: a CardResult in the exact shape of WeChat's ocr.idcard answer (the engine in
// src/idcard knows nothing of JSON).
#include <nlohmann/json.hpp>

#include "idcard/card_result.h"

namespace idcard {

// errcode 0 answer: Front/Back fields (+ birth, authority extras). With detail: per-field
// confidence and pos, card_pos, img_size and validation flags.
nlohmann::json to_wechat_json(const CardResult& card, bool detail);

// Error answer {"errcode": code, "errmsg": msg}.
nlohmann::json wechat_error(int errcode, const std::string& errmsg);

}  // namespace idcard
