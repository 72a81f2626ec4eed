// Files served from a directory: the demo pages and the built snippet.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace loopkit::collector {

// The file under root that a request path names, or nothing when the path
// is unsafe or no regular file is there. A path ending in '/' names its
// index.html, and one without an extension may leave ".html" off
// ("/dashboard"). request_path is already percent-decoded, so "/%2e%2e/"
// arrives here as "/../" and is refused.
std::optional<std::filesystem::path> resolve_static_file(
    const std::filesystem::path& root, std::string_view request_path);

// The Content-Type for a file, by its extension.
const char* content_type_for(const std::filesystem::path& file);

// Documents a browser renders as a page, which get the CSP header.
bool is_document(const std::filesystem::path& file);

// The page policy: our own scripts and the wasm core only, no inline code,
// beacons to the page's own origin.
// https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy
inline constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
    "connect-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// The whole file, or nothing if it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& file);

// A validator for the file as it is now (its size and time of last
// change), for ETag and If-None-Match; nothing if the file is gone.
std::optional<std::string> entity_tag(const std::filesystem::path& file);

// A copy of the file compressed at build time that the client accepts:
// file + ".br" or ".gz", when it is there and not older than the file.
// Compressing on every request would cost the first page view tens of
// milliseconds (brotli at its best setting), so the build makes them once.
// Only scripts and .wasm: cpp-httplib compresses text types itself, and
// would compress such a copy a second time.
struct precompressed {
  std::filesystem::path file;
  const char* encoding;      // "br" or "gzip"
  const char* content_type;  // one cpp-httplib leaves as it is
};
std::optional<precompressed> precompressed_for(
    const std::filesystem::path& file, std::string_view accept_encoding);

}  // namespace loopkit::collector
