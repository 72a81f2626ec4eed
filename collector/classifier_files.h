// The classification files `loopkit serve` and `loopkit inspect` share:
// --referrers (a referrer database in the referer-parser JSON format, added
// to the built-in list) and --channels (custom channel rules,
// docs/channels.md).
#pragma once

#include <string>

#include "loopkit/raw_view.h"
#include "loopkit/result.h"

namespace loopkit::collector {

struct classifier_file_error {
  const char* what;  // "referrer database" or "channel rules"
  std::string file;
  std::string path;     // JSON pointer of the mistake; empty for a read error
  std::string message;  // "No such file or directory", "invalid regex: ..."
  bool unreadable = false;  // the file could not be read at all
};

// Loads either file when its name is not empty ("-" reads standard input);
// the built-in list and GA4's default channels otherwise. A file that cannot
// be read or does not validate is refused whole.
[[nodiscard]] result<raw_view_settings, classifier_file_error>
load_classifier_files(const std::string& referrers_file,
                      const std::string& channels_file);

// "invalid channel rules rules.json: /prepend/0/regex: unbalanced
// parenthesis", or "cannot read referrer database db.json: No such file or
// directory".
std::string describe(const classifier_file_error& e);

}  // namespace loopkit::collector
