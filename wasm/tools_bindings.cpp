// Registrations only: what node users, the parity tests and the benchmarks
// call besides the Tracker (bindings.cpp). The page never calls these; its
// build (loopkit-page.wasm) has neither, nor Embind (page_entry.cpp).
#include <emscripten/bind.h>

#include "adapters.h"
#include "loopkit/json_api.h"
#include "loopkit/sha256.h"

namespace {

// Embind binds functions taking std::string; these forward to the
// string_view API.
std::string parse_url_js(const std::string& s) {
  return loopkit::json_api::parse_url(s);
}
std::string parse_query_js(const std::string& s) {
  return loopkit::json_api::parse_query(s);
}
std::string extract_campaign_js(const std::string& s) {
  return loopkit::json_api::extract_campaign(s);
}
std::string classify_referrer_js(const std::string& r, const std::string& p) {
  return loopkit::json_api::classify_referrer(r, p);
}
std::string inspect_visit_js(const std::string& page,
                             const std::string& referrer,
                             const std::string& user_agent,
                             const std::string& channels) {
  return loopkit::json_api::inspect_visit(page, referrer, user_agent, channels);
}
std::string decode_batch_js(const std::string& b) {
  return loopkit::json_api::decode_batch(b);
}
std::string hash_email_js(const std::string& e) {
  return loopkit::hash_email(e);
}

}  // namespace

EMSCRIPTEN_BINDINGS(loopkit_tools) {
  using loopkit::wasm::js_scorer;
  emscripten::class_<js_scorer>("Scorer")
      .constructor<std::string>()
      .function("error", &js_scorer::error)
      .function("setEvents", &js_scorer::set_events)
      .function("score", &js_scorer::score);

  emscripten::function("parseUrl", &parse_url_js);
  emscripten::function("parseQuery", &parse_query_js);
  emscripten::function("extractCampaign", &extract_campaign_js);
  emscripten::function("classifyReferrer", &classify_referrer_js);
  emscripten::function("inspectVisit", &inspect_visit_js);
  // classifyVisit is in visit_entry.js, without Embind.
  emscripten::function("scoreEvents", &loopkit::wasm::score_events);
  emscripten::function("decodeBatch", &decode_batch_js);
  emscripten::function("hashEmail", &hash_email_js);
}
