// The page's Tracker on plain wasm exports, without Embind or Emscripten's
// glue: Embind's registration took most of the 4 ms the page spent
// instantiating the core, and its glue was half of loopkit.js. The
// snippet's wrapper (web/snippet/src/core.js) writes each call's strings
// back to back as UTF-8 into one input buffer and passes their sizes; a
// text answer comes back as {address, size} of a string kept here until
// the next call.
//
// A page runs one tracker, so there is one, global, behind these exports:
// tracker_create replaces it.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters.h"

namespace {

using loopkit::wasm::js_tracker;

std::optional<js_tracker> current;
std::string input;
std::string answer;
std::uint32_t answer_span[2];

// Hands the input buffer's strings out in order.
class reader {
 public:
  std::string next(std::size_t size) {
    std::string s = input.substr(at_, size);
    at_ += size;
    return s;
  }

 private:
  std::size_t at_ = 0;
};

const std::uint32_t* reply(std::string text) {
  answer = std::move(text);
  answer_span[0] = static_cast<std::uint32_t>(
      reinterpret_cast<std::uintptr_t>(answer.data()));
  answer_span[1] = static_cast<std::uint32_t>(answer.size());
  return answer_span;
}

}  // namespace

extern "C" {

// Room for size bytes of input; the wrapper asks again only when it needs
// more. Growing it may grow the wasm memory.
EMSCRIPTEN_KEEPALIVE char* tracker_input(std::size_t size) {
  if (input.size() < size) input.resize(size);
  return input.data();
}

// The config JSON, then the seed (up to 32 hex digits). Answers the reason
// the config was refused, "" when it was not (js_tracker).
EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_create(
    std::size_t config_size, std::size_t seed_size) {
  reader in;
  const std::string config = in.next(config_size);
  current.emplace(config, in.next(seed_size));
  return reply(current->config_error());
}

EMSCRIPTEN_KEEPALIVE void tracker_delete() { current.reset(); }

EMSCRIPTEN_KEEPALIVE bool tracker_restore(std::size_t state_size) {
  return current->restore(reader().next(state_size));
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_state() {
  return reply(current->state());
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_visitor_id() {
  return reply(current->visitor_id());
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_session_id() {
  return reply(current->session_id());
}

EMSCRIPTEN_KEEPALIVE bool tracker_adopt_visitor(std::size_t id_size) {
  return current->adopt_visitor(reader().next(id_size));
}

EMSCRIPTEN_KEEPALIVE void tracker_page_view(std::size_t url_size,
                                            std::size_t referrer_size,
                                            std::size_t title_size,
                                            std::size_t id_size,
                                            double now_ms) {
  reader in;
  const std::string url = in.next(url_size);
  const std::string referrer = in.next(referrer_size);
  const std::string title = in.next(title_size);
  current->page_view(url, referrer, title, now_ms, in.next(id_size));
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_clean_url(
    std::size_t url_size) {
  return reply(current->clean_url(reader().next(url_size)));
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_decorate_link(
    std::size_t href_size, std::size_t page_size, double now_ms) {
  reader in;
  const std::string href = in.next(href_size);
  return reply(current->decorate_link(href, in.next(page_size), now_ms));
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_record(std::size_t type_size,
                                                         std::size_t name_size,
                                                         std::size_t props_size,
                                                         double now_ms) {
  reader in;
  const std::string type = in.next(type_size);
  const std::string name = in.next(name_size);
  return reply(current->record(type, name, in.next(props_size), now_ms));
}

EMSCRIPTEN_KEEPALIVE void tracker_identify(std::size_t email_size) {
  current->identify(reader().next(email_size));
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_score() {
  return reply(current->score());
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_fill_values() {
  return reply(current->fill_values());
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_touches() {
  return reply(current->touches());
}

EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_take_events() {
  return reply(current->take_events());
}

// Answers "" or the reason the model was refused (the built-in one stays).
EMSCRIPTEN_KEEPALIVE const std::uint32_t* tracker_set_model(
    std::size_t model_size) {
  return reply(current->set_model(reader().next(model_size)));
}

}  // extern "C"
