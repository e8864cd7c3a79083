#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/read_common.h"

namespace idcard::cli {
namespace {

namespace fs = std::filesystem;

bool is_image_path(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp" ||
         ext == ".heic" || ext == ".heif";
}

std::vector<std::string> collect_images(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(in, ec))
        if (e.is_regular_file() && is_image_path(e.path())) files.push_back(e.path().string());
    } else if (fs::is_regular_file(in, ec)) {
      files.push_back(in);  // named explicitly: read it whatever its extension
    } else {
      std::cerr << "idcard-ocr: skipping " << in << " (not found)\n";
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The answer's top-level fields, one column each; absent ones (the other side's) stay empty.
constexpr std::array<const char*, 11> kCsvAnswerColumns = {"errcode", "errmsg",     "type",     "name",
                                                           "id",      "addr",       "gender",   "nationality",
                                                           "birth",   "valid_date", "authority"};

std::string csv_line(const nlohmann::json& line) {
  std::string out = csv_field(line["file"].get<std::string>());
  const nlohmann::json& r = line["response"];
  for (const char* key : kCsvAnswerColumns) {
    out += ',';
    if (!r.contains(key)) continue;
    out += csv_field(r[key].is_string() ? r[key].get<std::string>() : r[key].dump());
  }
  out += ',' + line["ms"].dump();
  if (line.contains("profile")) out += ',' + line["profile"]["model_ms"].dump();
  return out;
}

void draw_progress(std::size_t done, std::size_t total) {
  const int width = 40;
  const int filled = total ? static_cast<int>(width * done / total) : width;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done << "/"
            << total << std::flush;
}

}  // namespace

void add_batch_command(CLI::App& app, Settings& settings) {
  auto* cmd = app.add_subcommand("batch", "Read many images; one JSON line (or CSV row) per image");
  struct Opts {
    std::vector<std::string> paths;
    std::string out, type = "photo", format = "jsonl";
    int workers = 2;
    bool detail = false;
    bool profile = false;
    ReportOptions report;
  };
  auto opts = std::make_shared<Opts>();
  cmd->add_option("paths", opts->paths, "Files and folders")->required();
  cmd->add_option("--out", opts->out, "Output file")->required();
  cmd->add_option("--format", opts->format, "jsonl (default) or csv (a header row, then the answer's fields)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--workers", opts->workers, "Images read at once")->check(CLI::Range(1, 64));
  cmd->add_option("--type", opts->type, "photo or scan")->check(CLI::IsMember({"photo", "scan"}));
  cmd->add_flag("--detail", opts->detail, "Add confidences, positions and validation flags");
  cmd->add_flag("--profile", opts->profile, "Add \"profile\": {model_ms, total_ms} to each line");
  add_report_options(*cmd, opts->report);
  cmd->callback([&settings, opts] {
    opts->report.read_options();  // a bad --crop fails before the models load
    const bool csv = opts->format == "csv";
    if (csv && opts->detail)
      throw CLI::ValidationError("--detail", "positions and confidences need --format jsonl");
    if (csv && (opts->report.warnings || opts->report.cards || !opts->report.crop.empty() ||
                !opts->report.crop_dir.empty()))
      throw CLI::ValidationError("--warnings/--crop/--cards", "need --format jsonl");
    const auto files = collect_images(opts->paths);
    std::ofstream out(opts->out, std::ios::trunc);
    if (!out) {
      std::cerr << "idcard-ocr: cannot write " << opts->out << "\n";
      throw CLI::RuntimeError(2);
    }
    EngineSettings engine = settings.engine;
    engine.intra_op_threads = intra_op_threads_for(engine, opts->workers);
    const CardReader reader(engine);
    const ImageType type = parse_image_type(opts->type);
    const bool tty = isatty(STDERR_FILENO);
    if (csv) {
      out << "file";
      for (const char* key : kCsvAnswerColumns) out << ',' << key;
      out << ",ms" << (opts->profile ? ",model_ms" : "") << "\n";
    }

    std::mutex mu;  // guards out, stats
    std::atomic<std::size_t> next{0};
    std::size_t done = 0;
    std::vector<double> ms_all;
    std::map<int, int> by_errcode;
    const auto t_start = std::chrono::steady_clock::now();

    auto worker = [&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        std::string bytes;
        const auto t0 = std::chrono::steady_clock::now();
        ReadTimings timings;
        nlohmann::json response =
            read_file(files[i], bytes)
                ? wechat_response(reader, bytes, type, opts->detail, &timings, opts->report, files[i])
                : nlohmann::json{{"errcode", -1}, {"errmsg", "cannot read file"}};
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        nlohmann::json line = {{"file", files[i]}, {"ms", std::round(ms * 10) / 10}, {"response", response}};
        if (opts->profile)
          line["profile"] = {{"model_ms", std::round(timings.model_ms * 10) / 10},
                             {"total_ms", std::round(ms * 10) / 10}};
        std::lock_guard<std::mutex> lock(mu);
        out << (csv ? csv_line(line) : line.dump()) << "\n";
        ms_all.push_back(ms);
        by_errcode[response.value("errcode", -1)]++;
        if (tty) draw_progress(++done, files.size());
      }
    };
    std::vector<std::thread> pool;
    for (int w = 0; w < std::max(1, opts->workers); ++w) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (tty) std::cerr << "\n";

    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    std::sort(ms_all.begin(), ms_all.end());
    auto pct = [&](double p) {
      return ms_all.empty() ? 0.0 : ms_all[static_cast<std::size_t>(p * (ms_all.size() - 1))];
    };
    nlohmann::json summary = {
        {"images", files.size()},
        {"wall_s", std::round(wall_s * 100) / 100},
        {"images_per_s", wall_s > 0 ? std::round(files.size() / wall_s * 100) / 100 : 0.0},
        {"median_ms", std::round(pct(0.5) * 10) / 10},
        {"p90_ms", std::round(pct(0.9) * 10) / 10}};
    nlohmann::json codes = nlohmann::json::object();
    for (auto [code, n] : by_errcode) codes[std::to_string(code)] = n;
    summary["by_errcode"] = codes;
    std::cerr << summary.dump() << "\n";
  });
}

}  // namespace idcard::cli
