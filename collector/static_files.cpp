#include "static_files.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

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
  // A directory opens as a stream, then its first read throws.
  if (std::error_code error; std::filesystem::is_directory(file, error)) {
    errno = EISDIR;
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;

  try {
    std::string text{std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>()};
    if (in.bad()) return std::nullopt;
    return text;
  } catch (const std::ios_base::failure&) {
    return std::nullopt;  // errno says why
  }
}

std::optional<std::string> entity_tag(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) return std::nullopt;
  const auto changed = std::filesystem::last_write_time(file, error);
  if (error) return std::nullopt;
  const auto ticks = changed.time_since_epoch().count();
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << static_cast<std::uint64_t>(ticks)
      << '"';
  return tag.str();
}

namespace {

// True when an Accept-Encoding header lists the coding without q=0.
bool accepts(std::string_view header, std::string_view coding) {
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t end = header.find(',', at);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = trim(header.substr(at, end - at));
    at = end + 1;
    const std::size_t semicolon = item.find(';');
    const std::string_view name = trim(item.substr(0, semicolon));
    if (!iequals(name, coding)) continue;
    if (semicolon == std::string_view::npos) return true;
    std::string_view q = trim(item.substr(semicolon + 1));
    if (q.size() < 2 || (q[0] != 'q' && q[0] != 'Q') || q[1] != '=') {
      return true;
    }
    q.remove_prefix(2);
    return q.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

}  // namespace

std::optional<precompressed> precompressed_for(
    const std::filesystem::path& file, std::string_view accept_encoding) {
  // cpp-httplib (0.11) compresses text/* and exactly
  // "application/javascript", so a script sent compressed already is typed
  // "application/javascript; charset=utf-8", which browsers run alike.
  const auto extension = ascii_lower(file.extension().string());
  const char* content_type =
      extension == ".wasm"                       ? "application/wasm"
      : extension == ".js" || extension == ".mjs"
          ? "application/javascript; charset=utf-8"
          : nullptr;
  if (content_type == nullptr) return std::nullopt;
  std::error_code error;
  const auto changed = std::filesystem::last_write_time(file, error);
  if (error) return std::nullopt;
  for (const auto& [suffix, encoding] :
       {std::pair{".br", "br"}, std::pair{".gz", "gzip"}}) {
    if (!accepts(accept_encoding, encoding)) continue;
    std::filesystem::path copy = file;
    copy += suffix;
    if (!std::filesystem::is_regular_file(copy, error)) continue;
    const auto copy_changed = std::filesystem::last_write_time(copy, error);
    if (error || copy_changed < changed) continue;  // a stale copy
    return precompressed{std::move(copy), encoding, content_type};
  }
  return std::nullopt;
}

}  // namespace loopkit::collector
