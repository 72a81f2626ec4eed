#include "classifier_files.h"

#include <utility>

#include "cli_args.h"
#include "loopkit/channel.h"
#include "loopkit/referrer.h"

namespace loopkit::collector {

result<raw_view_settings, classifier_file_error> load_classifier_files(
    const std::string& referrers_file, const std::string& channels_file) {
  raw_view_settings settings;
  if (!referrers_file.empty()) {
    const char* what = "referrer database";
    const auto text = read_text(referrers_file);
    if (!text) {
      return fail(classifier_file_error{what, referrers_file, "", text.error(), true});
    }
    const auto loaded = load_referrer_database(*text, settings.referrers);
    if (!loaded) {
      return fail(classifier_file_error{what, referrers_file,
                                        loaded.error().path,
                                        loaded.error().message});
    }
  }

  if (!channels_file.empty()) {
    const char* what = "channel rules";
    const auto text = read_text(channels_file);
    if (!text) {
      return fail(classifier_file_error{what, channels_file, "", text.error(), true});
    }
    auto rules = load_channel_rules(*text);
    if (!rules) {
      return fail(classifier_file_error{what, channels_file,
                                        rules.error().path,
                                        rules.error().message});
    }
    settings.channels = std::move(*rules);
  }
  return settings;
}

std::string describe(const classifier_file_error& e) {
  const std::string verb = e.unreadable ? "cannot read " : "invalid ";
  const std::string where = e.path.empty() ? "" : e.path + ": ";
  return verb + e.what + " " + e.file + ": " + where + e.message;
}

}  // namespace loopkit::collector
