// Runs a libFuzzer target over files without libFuzzer: every regular file
// named on the command line, or found (recursively) in a directory named
// there, is passed to LLVMFuzzerTestOneInput once. Linked with each fuzz
// target into a <target>_replay program that ctest runs over the seed
// corpus, so a crashing input checked in as a seed fails every build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  size_t runs = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    std::error_code error;
    if (std::filesystem::is_directory(arg, error)) {
      for (const auto& entry :
           std::filesystem::recursive_directory_iterator(arg, error)) {
        if (!entry.is_regular_file()) continue;
        ok = RunFile(entry.path()) && ok;
        ++runs;
      }
      if (error) {
        std::fprintf(stderr, "cannot list %s: %s\n", argv[i],
                     error.message().c_str());
        ok = false;
      }
    } else {
      ok = RunFile(arg) && ok;
      ++runs;
    }
  }
  std::printf("%zu inputs run\n", runs);
  // A corpus that is missing or empty must not pass silently.
  return ok && runs > 0 ? 0 : 1;
}
