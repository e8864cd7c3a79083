#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "build_config.h"
#include "cli/commands.h"
#include "cli/config_file.h"
#include "core/settings_env.h"
#include "image/heif_sandbox.h"

int main(int argc, char** argv) {
  // The offline promise: ONNX Runtime's builds start their telemetry (a device id and an event
  // queue under $HOME, a mat-debug log in $TMPDIR, uploads to Microsoft) when the first
  // environment is created, before its API switch (DisableTelemetryEvents, also called) can act.
  // This variable is what that start reads. Set here, before any thread exists, and forced.
  setenv("ORT_DISABLE_TELEMETRY", "1", 1);  // NOLINT(concurrency-mt-unsafe): no other thread yet
  idcard::Settings settings;
  // Layers, lowest first: defaults, the config file, the environment, then the flags (CLI11).
  const std::string config_file = idcard::cli::config_path(argc, argv);
  try {
    if (!config_file.empty()) idcard::cli::apply_config_file(settings, config_file);
    idcard::apply_environment(settings);
  } catch (const std::exception& e) {
    std::cerr << "idcard-ocr: " << e.what() << "\n";
    return 2;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("idcard-ocr"));
  spdlog::set_level(spdlog::level::from_str(settings.log_level));

  CLI::App app{"idcard-ocr: reads Chinese resident ID cards; WeChat ocr.idcard-compatible service"};
  app.set_version_flag("--version", IDCARD_OCR_VERSION);
  app.add_option("--models", settings.engine.model_dir, "Directory with det.onnx and rec.onnx")
      ->envname("IDCARD_OCR_MODEL_DIR");
  if (settings.engine.heif_decoder.empty()) settings.engine.heif_decoder = idcard::default_heif_decoder();
  app.add_option("--heif-decoder", settings.engine.heif_decoder,
                 "The confined HEIF/HEIC decoder program (default: idcard-heif-decode beside this binary)")
      ->envname("IDCARD_OCR_HEIF_DECODER");
  app.add_option_function<std::string>(
         "--recognizer", [&settings](const std::string& v) { settings.engine.rec_tuning = v == "tuned"; },
         "tuned (default): with the fine-tuned last layer (models/rec_tuning.bin); base: as published")
      ->check(CLI::IsMember({"base", "tuned"}))
      ->envname("IDCARD_OCR_RECOGNIZER");
  app.add_option("--threads-per-read", settings.engine.intra_op_threads,
                 "ONNX Runtime threads per inference (0 = cores / concurrent reads)")
      ->envname("IDCARD_OCR_THREADS_PER_READ")
      ->check(CLI::Range(0, 64));
  app.require_subcommand(1);
  idcard::cli::add_read_command(app, settings);
  idcard::cli::add_batch_command(app, settings);
  idcard::cli::add_serve_command(app, settings);
  idcard::cli::add_apps_command(app, settings);
  idcard::cli::add_config_command(app, config_file);
  // Accepted before or after the subcommand; already applied above.
  const std::string config_help =
      "TOML settings file (keys as the long flags: port = 8080); env IDCARD_OCR_CONFIG";
  for (CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; }))
    cmd->add_option("--config", config_help);
  app.add_option("--config", config_help);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Start-up failures (models, database): a clear line, no stack of internals.
    std::cerr << "idcard-ocr: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
