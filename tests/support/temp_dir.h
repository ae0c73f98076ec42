// A fresh private directory for one test, removed recursively with the object.
#ifndef XMPPFED_TESTS_SUPPORT_TEMP_DIR_H_
#define XMPPFED_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>
#include <string_view>

namespace xmppfed::testing {

class TempDir {
 public:
  // Creates a directory named like "/tmp/xmppfed-<prefix>-XXXXXX". The base is
  // $TMPDIR when it is short enough for Unix socket paths inside the
  // directory, else /tmp. Aborts the test binary if nothing can be created.
  explicit TempDir(std::string_view prefix = "it");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(std::string_view name) const;
  // Writes `content` to File(name) (mode 0600) and returns that path.
  std::string WriteFile(std::string_view name, std::string_view content) const;

 private:
  std::string path_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_TEMP_DIR_H_
