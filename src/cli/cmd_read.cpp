#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "cli/read_common.h"
#include "idcard/card_reader.h"
#include "server/wechat_json.h"

namespace idcard::cli {

void add_read_command(CLI::App& app, Settings& settings) {
  auto* cmd = app.add_subcommand("read", "Read one image and print the WeChat-shaped JSON");
  struct Opts {
    std::string file, type = "photo";
    bool detail = false;
    ReportOptions report;
  };
  auto opts = std::make_shared<Opts>();
  cmd->add_option("file", opts->file, "Image file")->required();
  cmd->add_option("--type", opts->type, "photo or scan")->check(CLI::IsMember({"photo", "scan"}));
  cmd->add_flag("--detail", opts->detail, "Add confidences, positions and validation flags");
  add_report_options(*cmd, opts->report);
  cmd->callback([&settings, opts] {
    opts->report.read_options();  // a bad --crop fails before the models load
    std::string bytes;
    if (!read_file(opts->file, bytes)) {
      std::cerr << "idcard-ocr: cannot read " << opts->file << "\n";
      throw CLI::RuntimeError(2);
    }
    CardReader reader(settings.engine);
    std::cout << wechat_response(reader, bytes, parse_image_type(opts->type), opts->detail, nullptr,
                                 opts->report, opts->file)
                     .dump()
              << "\n";
  });
}

}  // namespace idcard::cli
