// Reads one ID card image through the installed library: read_card IMAGE [MODEL_DIR].
// Build it with examples/CMakeLists.txt (find_package) or pkg-config (see the README).
#include <idcard/card_reader.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: read_card IMAGE [MODEL_DIR]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  idcard::EngineSettings settings;
  settings.model_dir = argc > 2 ? argv[2] : IDCARD_OCR_MODEL_DIR;  // the package's models
  const idcard::CardReader reader(settings);
  const idcard::ReadOutcome out = reader.read(bytes);
  if (out.status != idcard::ReadStatus::kOk) {
    std::cout << "errcode " << static_cast<int>(out.status) << " " << out.reason << "\n";
    return 1;
  }
  if (const auto& f = out.card.front)
    std::cout << "name " << f->name.text << "\nid " << f->id.text << "\ngender " << f->gender.text
              << "\nbirth " << f->birth.text << "\naddr " << f->addr.text << "\n";
  if (const auto& b = out.card.back)
    std::cout << "authority " << b->authority.text << "\nvalid_date " << b->valid_date.text << "\n";
  return 0;
}
