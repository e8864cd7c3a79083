#include "cli/read_common.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "idcard/card_report.h"
#include "server/wechat_json.h"
#include "storage/shanghai_day.h"

namespace idcard::cli {
namespace {

namespace fs = std::filesystem;

bool write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// The crops as files (<image stem>.front.card.jpg, .front.portrait.jpg, .back.card.jpg; a
// further person's .front2..., .back2...); the answer names them instead of carrying them.
void write_crops(const CardResult& card, nlohmann::json& answer, const std::string& dir,
                 const std::string& source) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = fs::path(source.empty() ? "image" : source).stem().string();
  auto put = [&](const std::string& bytes, const std::string& suffix) -> std::string {
    if (bytes.empty()) return {};
    const fs::path path = fs::path(dir) / (stem + suffix);
    if (!write_bytes(path, bytes)) throw CLI::RuntimeError("cannot write " + path.string(), 2);
    return path.string();
  };
  // The answers in every_card's order: the top level is the first card's, "cards" lists them all.
  const std::vector<CardResult> cards = every_card(card);
  std::vector<std::pair<nlohmann::json*, const CardResult*>> answers;
  if (!cards.empty()) answers.emplace_back(&answer, &cards[0]);
  if (answer.contains("cards"))
    for (size_t i = 0; i < answer["cards"].size() && i < cards.size(); ++i)
      answers.emplace_back(&answer["cards"][i], &cards[i]);
  int fronts = 0, backs = 0;
  std::vector<std::string> names(cards.size());
  for (size_t i = 0; i < cards.size(); ++i) {
    const int n = cards[i].front ? ++fronts : ++backs;
    names[i] = std::string(cards[i].front ? ".front" : ".back") + (n > 1 ? std::to_string(n) : "");
  }
  for (auto [a, c] : answers) {
    const CardReport& r = c->front ? c->front->report : c->back->report;
    const std::string& side = names[static_cast<size_t>(c - cards.data())];
    if (a->contains("card_image")) (*a)["card_image"] = put(r.card_jpeg, side + ".card.jpg");
    if (a->contains("portrait_image")) (*a)["portrait_image"] = put(r.portrait_jpeg, side + ".portrait.jpg");
  }
}

}  // namespace

ReadOptions ReportOptions::read_options() const {
  ReadOptions o;
  o.warnings = warnings;
  o.list_cards = cards;
  std::string rest = crop.empty() && !crop_dir.empty() ? "card,portrait" : crop;
  if (!parse_crop_list(rest, o)) throw CLI::ValidationError("--crop", "card, portrait or card,portrait");
  if (warnings) {
    std::string day = storage::shanghai_day(static_cast<std::int64_t>(std::time(nullptr)));
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    o.today = day;
  }
  return o;
}

void add_report_options(CLI::App& cmd, ReportOptions& opts) {
  cmd.add_flag("--warnings", opts.warnings, "Add each card's \"warnings\" and \"quality\" (0-100)");
  cmd.add_option("--crop", opts.crop, "Add crops as base64 JPEG: card, portrait or card,portrait");
  cmd.add_option("--crop-dir", opts.crop_dir, "Write the crops here as files (default crop: card,portrait)");
  cmd.add_flag("--cards", opts.cards, "Add \"cards\": every card's answer when the image holds several");
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

ImageType parse_image_type(const std::string& type) {
  return type == "scan" ? ImageType::kScan : ImageType::kPhoto;
}

nlohmann::json wechat_response(const CardReader& reader, const std::string& bytes, ImageType type,
                               bool detail, ReadTimings* timings, const ReportOptions& report,
                               const std::string& source) {
  const ReadOptions options = report.read_options();
  const ReadOutcome outcome = reader.read(bytes, type, options);
  if (timings) *timings = outcome.timings;
  switch (outcome.status) {
    case ReadStatus::kOk: {
      nlohmann::json answer = to_wechat_json(outcome.card, detail, options);
      if (!report.crop_dir.empty()) write_crops(outcome.card, answer, report.crop_dir, source);
      return answer;
    }
    case ReadStatus::kNotFound:
      return wechat_error(101001, "certificate not found");
    case ReadStatus::kInvalidImage:
      return wechat_error(101002, "invalid image data");
  }
  return wechat_error(-1, "system error");
}

}  // namespace idcard::cli
