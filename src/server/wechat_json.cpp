#include "server/wechat_json.h"

namespace idcard {
namespace {

using nlohmann::json;

json point_json(const Point& p) {
  return {{"x", static_cast<int>(p.x + 0.5f)}, {"y", static_cast<int>(p.y + 0.5f)}};
}

json quad_json(const Quad& q) {
  return {{"left_top", point_json(q[0])},
          {"right_top", point_json(q[1])},
          {"right_bottom", point_json(q[2])},
          {"left_bottom", point_json(q[3])}};
}

json field_detail(const Field& f) {
  json out = {{"text", f.text}, {"confidence", f.confidence}, {"pos", quad_json(f.quad)}};
  if (f.from_id) out["from_id"] = true;  // hidden on the card, taken from the number
  return out;
}

// The report's keys of one card, as asked.
void add_report(json& out, const CardReport& r, const ReadOptions& options) {
  if (options.warnings && r.assessed) {
    json warnings = json::array();
    for (const Warning& w : r.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
    out["warnings"] = warnings;
    out["quality"] = r.quality;
  }
  if (options.crop_card && !r.card_jpeg.empty()) out["card_image"] = base64_encode(r.card_jpeg);
  if (options.crop_portrait && !r.portrait_jpeg.empty())
    out["portrait_image"] = base64_encode(r.portrait_jpeg);
}

// A read holding one side only (its checks kept: each side's flags are its own).
CardResult one_side(const CardResult& card, bool front) {
  CardResult out;
  if (front)
    out.front = card.front;
  else
    out.back = card.back;
  out.checks = card.checks;
  out.image_width = card.image_width;
  out.image_height = card.image_height;
  return out;
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += two ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::vector<CardResult> every_card(const CardResult& card) {
  std::vector<CardResult> out;
  auto add = [&out](const CardResult& c) {
    if (c.front) out.push_back(one_side(c, true));
    if (c.back) out.push_back(one_side(c, false));
  };
  add(card);
  for (const CardResult& other : card.others) add(other);
  return out;
}

json to_wechat_json(const CardResult& card, bool detail, const ReadOptions& options) {
  json out = to_wechat_json(card, detail);
  const ReadOptions reports{options.warnings, options.crop_card, options.crop_portrait, {}, false};
  const auto report_of = [](const CardResult& c) -> const CardReport& {
    return c.front ? c.front->report : c.back->report;
  };
  if (card.front || card.back) add_report(out, report_of(card), reports);
  // Every card of the picture, each its own answer, when there are several (a front and a back,
  // two people's cards).
  const std::vector<CardResult> cards = every_card(card);
  if ((options.any() || options.list_cards) && cards.size() > 1) {
    json list = json::array();
    for (const CardResult& c : cards) {
      json one = to_wechat_json(c, detail);
      one.erase("errcode");
      one.erase("errmsg");
      add_report(one, report_of(c), reports);
      list.push_back(std::move(one));
    }
    out["cards"] = std::move(list);
  }
  return out;
}

json wechat_error(int errcode, const std::string& errmsg) {
  return {{"errcode", errcode}, {"errmsg", errmsg}};
}

json to_wechat_json(const CardResult& card, bool detail) {
  json out = {{"errcode", 0}, {"errmsg", "ok"}};
  json fields = json::object();
  if (card.front) {
    const FrontFields& f = *card.front;
    out["type"] = "Front";
    out["name"] = f.name.text;
    out["id"] = f.id.text;
    out["addr"] = f.addr.text;
    out["gender"] = f.gender.text;
    out["nationality"] = f.nationality.text;
    out["birth"] = f.birth.text;  // additive extra, YYYYMMDD
    if (detail) {
      for (auto [key, field] : {std::pair<const char*, const Field*>{"name", &f.name},
                                {"id", &f.id},
                                {"addr", &f.addr},
                                {"gender", &f.gender},
                                {"nationality", &f.nationality},
                                {"birth", &f.birth}})
        fields[key] = field_detail(*field);
    }
  }
  if (card.back) {
    const BackFields& b = *card.back;
    if (!card.front) out["type"] = "Back";
    out["valid_date"] = b.valid_date.text;
    out["authority"] = b.authority.text;  // WeChat returns it too, undocumented
    if (detail) {
      fields["valid_date"] = field_detail(b.valid_date);
      fields["authority"] = field_detail(b.authority);
    }
  }
  if (detail) {
    out["fields"] = fields;
    json sides = json::array();
    if (card.front) sides.push_back("Front");
    if (card.back) sides.push_back("Back");
    out["sides"] = sides;
    if (card.front)
      out["card_pos"] = quad_json(card.front->card_quad);
    else if (card.back)
      out["card_pos"] = quad_json(card.back->card_quad);
    if (card.front && card.back) out["back_card_pos"] = quad_json(card.back->card_quad);
    out["img_size"] = {{"w", card.image_width}, {"h", card.image_height}};
    const Checks& c = card.checks;
    json checks = json::object();
    if (card.front) {
      checks["id_format_ok"] = c.id_format_ok;
      checks["id_checksum_ok"] = c.id_checksum_ok;
      checks["id_corrected"] = c.id_corrected;
      checks["birth_matches_id"] = c.birth_matches_id;
      checks["gender_matches_id"] = c.gender_matches_id;
    }
    if (card.back) checks["valid_span_ok"] = c.valid_span_ok;
    out["checks"] = checks;
  }
  return out;
}

}  // namespace idcard
