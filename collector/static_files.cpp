#include "static_files.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "loopkit/text.h"

namespace loopkit::collector {
namespace {

// Refuses "..", "." and hidden names (".git", ".env") in any segment, and
// the separators and bytes a file system might read differently.
bool is_safe_segment(std::string_view segment) {
  if (segment.empty()) return true;  // "a//b" reads as "a/b"
  if (segment.front() == '.') return false;
  for (const char c : segment) {
    if (c == '\\' || c == '\0' || c == ':') return false;
  }
  return true;
}

bool is_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

struct type_entry {
  const char* extension;
  const char* content_type;
};

// application/wasm is required for WebAssembly.instantiateStreaming:
// https://webassembly.github.io/spec/web-api/#streaming-modules
constexpr type_entry content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".wasm", "application/wasm"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".ts", "text/plain; charset=utf-8"},  // .d.ts, shown as text
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/plain; charset=utf-8"},
};

// A link inside the served folder must not lead out of it.
bool inside(const std::filesystem::path& root,
            const std::filesystem::path& file) {
  std::error_code error;
  const auto base = std::filesystem::weakly_canonical(root, error);
  if (error) return false;
  const auto real = std::filesystem::weakly_canonical(file, error);
  if (error) return false;
  const auto [end, ignored] =
      std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  return end == base.end();
}

}  // namespace

std::optional<std::filesystem::path> resolve_static_file(
    const std::filesystem::path& root, std::string_view request_path) {
  std::filesystem::path file = root;
  std::string_view rest = request_path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    if (!is_safe_segment(segment)) return std::nullopt;
    if (!segment.empty()) file /= std::string(segment);
    rest = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  }

  if (request_path.empty() || request_path.back() == '/') {
    file /= "index.html";
  }
  if (is_file(file) && inside(root, file)) return file;
  if (!file.has_extension()) {
    auto page = file;
    page += ".html";
    if (is_file(page) && inside(root, page)) return page;
  }
  return std::nullopt;
}

const char* content_type_for(const std::filesystem::path& file) {
  const auto extension = ascii_lower(file.extension().string());
  for (const auto& entry : content_types) {
    if (extension == entry.extension) return entry.content_type;
  }
  return "application/octet-stream";
}

bool is_document(const std::filesystem::path& file) {
  const auto extension = ascii_lower(file.extension().string());
  // An SVG opened on its own runs its scripts like a page.
  return extension == ".html" || extension == ".svg";
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;

  std::string text{std::istreambuf_iterator<char>(in),
                   std::istreambuf_iterator<char>()};
  if (in.bad()) return std::nullopt;
  return text;
}

}  // namespace loopkit::collector
