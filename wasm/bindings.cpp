// Registrations only: the JS names (camelCase) for the Tracker's adapters,
// in the full build (loopkit-core.js) for node, tools and the parity tests.
// The page's build reaches the same adapters through plain exports instead
// (page_entry.cpp, web/snippet/src/core.js), with the same JS names.
#include <emscripten/bind.h>

#include "adapters.h"

EMSCRIPTEN_BINDINGS(loopkit_page) {
  using loopkit::wasm::js_tracker;
  emscripten::class_<js_tracker>("Tracker")
      .constructor<std::string, std::string>()
      .function("configError", &js_tracker::config_error)
      .function("restore", &js_tracker::restore)
      .function("state", &js_tracker::state)
      .function("visitorId", &js_tracker::visitor_id)
      .function("sessionId", &js_tracker::session_id)
      .function("adoptVisitor", &js_tracker::adopt_visitor)
      .function("pageView", &js_tracker::page_view)
      .function("cleanUrl", &js_tracker::clean_url)
      .function("decorateLink", &js_tracker::decorate_link)
      .function("record", &js_tracker::record)
      .function("identify", &js_tracker::identify)
      .function("score", &js_tracker::score)
      .function("fillValues", &js_tracker::fill_values)
      .function("touches", &js_tracker::touches)
      .function("takeEvents", &js_tracker::take_events)
      .function("setModel", &js_tracker::set_model);
}
