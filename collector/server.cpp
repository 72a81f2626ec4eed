#include "server.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include <sys/socket.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "leads.h"
#include "loopkit/bot.h"
#include "loopkit/raw_view.h"
#include "log.h"
#include "static_files.h"

namespace loopkit::collector {
namespace {

constexpr const char* json_type = "application/json";
constexpr std::size_t default_event_limit = 100;
constexpr std::size_t max_event_limit = 1000;

struct context {
  store& events;
  site_config site;
};

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(dump(body), json_type);
}

void send_error(httplib::Response& res, int status, std::string_view message) {
  send_json(res, status, {{"ok", false}, {"error", message}});
}

const std::string too_large =
    "body larger than " + std::to_string(max_collect_body) + " bytes";

// Only for errors httplib raises before a route runs; routes name their own.
std::string status_text(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 413: return too_large;
    case 414: return "request target too long";
    case 415: return "unsupported media type";
    default: return status < 500 ? "bad request" : "internal error";
  }
}

// Sites may post from their own origin to a collector on another one. The
// body is text/plain, so browsers send no preflight for sendBeacon or fetch;
// OPTIONS is answered for clients that add headers anyway.
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header
void allow_any_origin(httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
}

// A request without a User-Agent header is a person's: privacy proxies and
// some embedded browsers strip it, while crawlers send one. cpp-httplib
// keeps no header whose value is empty, so an empty one counts as none.
bool sent_by_bot(const httplib::Request& req) {
  return req.has_header("User-Agent") &&
         is_bot(req.get_header_value("User-Agent"));
}

// The session's touch so far: an earlier view of the same body, else the
// newest stored event of that session.
std::optional<touch_info> session_touch(
    context& ctx, const std::map<std::string, touch_info>& seen,
    const event& view, bool bot) {
  const auto key = view.visitor_id + '\n' + view.session_id;
  if (const auto it = seen.find(key); it != seen.end()) return it->second;

  const auto row =
      ctx.events.latest_in_session(view.visitor_id, view.session_id, bot);
  if (!row || row->json.empty()) return std::nullopt;
  const auto stored = nlohmann::json::parse(row->json, nullptr, false);
  const auto touch = stored.find("touch");
  if (!stored.is_object() || touch == stored.end()) return std::nullopt;
  auto decoded = decode_touch(*touch);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

// Where a visitor's session stood at their latest event: its id, that
// event's time and the session's touch.
struct running_session {
  std::string session_id;
  std::int64_t time = 0;
  touch_info touch;
};

// The visitor's latest session before a raw view that came without a session
// id: from an earlier view of the same body, or the newest stored event,
// whichever is later.
std::optional<running_session> latest_session(
    context& ctx, const std::map<std::string, running_session>& in_body,
    const event& view, bool bot) {
  std::optional<running_session> out;
  if (const auto it = in_body.find(view.visitor_id); it != in_body.end()) {
    out = it->second;
  }
  const auto row = ctx.events.latest_of_visitor(view.visitor_id, view.time, bot);
  if (!row || row->json.empty()) return out;
  const auto stored = nlohmann::json::parse(row->json, nullptr, false);
  if (!stored.is_object()) return out;
  const auto touch = stored.find("touch");
  const auto session = stored.find("session_id");
  const auto time = stored.find("time");
  if (touch == stored.end() || session == stored.end() || !session->is_string() ||
      time == stored.end() || !time->is_number_integer()) {
    return out;
  }
  const std::int64_t stored_time = time->get<std::int64_t>();
  if (out && out->time >= stored_time) return out;
  auto decoded = decode_touch(*touch);
  if (!decoded) return out;
  return running_session{session->get<std::string>(), stored_time,
                         std::move(*decoded)};
}

// True when a raw view names its session: the page's core ran and decided it.
bool names_session(const nlohmann::json& raw) {
  if (!raw.is_object()) return false;
  const auto it = raw.find("session_id");
  return it != raw.end() && it->is_string() &&
         !it->get_ref<const std::string&>().empty();
}

struct raw_views {
  std::vector<event> events;
  nlohmann::json errors = nlohmann::json::array();  // [{"path", "error"}]
};

// Each raw view on its own: a bad one is reported, never costs the others.
raw_views convert_raw_views(context& ctx, const nlohmann::json& raw, bool bot) {
  raw_views out;
  std::map<std::string, touch_info> seen;  // visitor, session -> touch
  std::map<std::string, running_session> latest;  // visitor -> session
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto view = page_view_from_raw(raw[i], ctx.site.classify,
                                   "/raw_page_views/" + std::to_string(i));
    if (!view) {
      out.errors.push_back(
          {{"path", view.error().path}, {"error", view.error().message}});
      continue;
    }
    // Without a session id, the view joins the visitor's running session
    // when the page would have kept it, or else starts the day's (its own).
    bool joined = false;
    if (!names_session(raw[i])) {
      if (const auto running = latest_session(ctx, latest, *view, bot)) {
        joined = join_running_session(*view, running->session_id,
                                      running->time, running->touch);
      }
    }
    if (!joined) {
      if (const auto touch = session_touch(ctx, seen, *view, bot)) {
        continue_session(*view, *touch);
      }
    }
    seen[view->visitor_id + '\n' + view->session_id] = view->touch;
    latest[view->visitor_id] =
        running_session{view->session_id, view->time, view->touch};
    out.events.push_back(std::move(*view));
  }
  return out;
}

void collect(context& ctx, const httplib::Request& req,
             httplib::Response& res) {
  allow_any_origin(res);
  if (req.body.size() > max_collect_body) {
    send_error(res, 413, status_text(413));
    return;
  }

  auto body = decode_collect_body(req.body);
  if (!body) {
    send_json(res, 400,
              {{"ok", false},
               {"error", body.error().message},
               {"path", body.error().path}});
    return;
  }
  const bool bot = sent_by_bot(req);
  auto raw = convert_raw_views(ctx, body->raw_page_views, bot);
  if (body->events.empty() && raw.events.empty() && !raw.errors.empty()) {
    // Every item was a bad raw view: refused like a bad event batch.
    const auto& first = raw.errors.front();
    send_json(res, 400,
              {{"ok", false},
               {"error", first["error"]},
               {"path", first["path"]},
               {"errors", std::move(raw.errors)}});
    return;
  }

  const auto counts = ctx.events.insert(body->events, raw.events, now_ms(), bot);
  if (!counts) {
    log(log_level::error, "cannot store events",
        {{"error", counts.error().message}});
    send_error(res, 500, "cannot store events");
    return;
  }
  if (bot) {
    log(log_level::debug, "stored a bot's events apart",
        {{"user_agent", req.get_header_value("User-Agent")},
         {"stored", std::to_string(counts->stored)}});
  }
  nlohmann::json answer{{"ok", true},
                        {"stored", counts->stored},
                        {"duplicates", counts->duplicates}};
  if (!raw.errors.empty()) {
    log(log_level::debug, "raw page views refused",
        {{"count", std::to_string(raw.errors.size())},
         {"first", dump(raw.errors.front())}});
    answer["errors"] = std::move(raw.errors);
  }
  send_json(res, 200, answer);
}

// ?limit= is clamped to 1..1000, since a dashboard asking for a million
// rows means "all you will give me"; text that is not a number is an error.
std::optional<std::size_t> parse_limit(const httplib::Request& req) {
  if (!req.has_param("limit")) return default_event_limit;
  const auto text = req.get_param_value("limit");
  const char* end = text.data() + text.size();

  long long n = 0;
  const auto [stop, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || stop != end) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    n = text.front() == '-' ? 1 : static_cast<long long>(max_event_limit);
  } else if (ec != std::errc()) {
    return std::nullopt;
  }

  return static_cast<std::size_t>(
      std::clamp<long long>(n, 1, static_cast<long long>(max_event_limit)));
}

// ?bots= picks whose events a listing shows: people's by default.
std::optional<bot_filter> parse_bots(const httplib::Request& req) {
  if (!req.has_param("bots")) return bot_filter::humans;
  const auto text = req.get_param_value("bots");
  if (text == "exclude") return bot_filter::humans;
  if (text == "include") return bot_filter::all;
  if (text == "only") return bot_filter::bots;
  return std::nullopt;
}

void list_events(context& ctx, const httplib::Request& req,
                 httplib::Response& res) {
  const auto limit = parse_limit(req);
  if (!limit) {
    send_error(res, 400, "limit must be a whole number");
    return;
  }
  const auto which = parse_bots(req);
  if (!which) {
    send_error(res, 400, "bots must be exclude, include or only");
    return;
  }
  const auto rows = ctx.events.latest(*limit, *which);
  if (!rows) {
    log(log_level::error, "cannot read events",
        {{"error", rows.error().message}});
    send_error(res, 500, "cannot read events");
    return;
  }

  auto events = nlohmann::json::array();
  for (const auto& row : *rows) {
    auto json = nlohmann::json::parse(row.json, nullptr, false);
    if (!json.is_object()) continue;  // only a hand-edited file gets here
    json["received_at"] = row.received_at;
    if (row.bot) json["bot"] = true;
    events.push_back(std::move(json));
  }
  send_json(res, 200, {{"events", std::move(events)}});
}

void list_leads(context& ctx, httplib::Response& res) {
  const auto rows = ctx.events.lead_visitor_events();
  if (!rows) {
    log(log_level::error, "cannot read events",
        {{"error", rows.error().message}});
    send_error(res, 500, "cannot read events");
    return;
  }

  auto report = build_lead_report(ctx.site.model, *rows, now_ms());
  if (report.undecodable > 0) {
    log(log_level::warn, "stored events no longer decode; left out of leads",
        {{"count", std::to_string(report.undecodable)}});
  }
  send_json(res, 200, {{"leads", std::move(report.leads)}});
}

void summarize(context& ctx, httplib::Response& res) {
  const auto counts = ctx.events.summary();
  if (!counts) {
    log(log_level::error, "cannot count events",
        {{"error", counts.error().message}});
    send_error(res, 500, "cannot count events");
    return;
  }

  // An array, most sessions first: an object would sort by name.
  auto channels = nlohmann::json::array();
  for (const auto& [name, sessions] : counts->channels) {
    channels.push_back({{"channel", name}, {"sessions", sessions}});
  }
  send_json(res, 200,
            {{"events", counts->events},
             {"page_views", counts->page_views},
             {"visitors", counts->visitors},
             {"sessions", counts->sessions},
             {"leads", counts->leads},
             {"channels", std::move(channels)},
             {"bots",
              {{"events", counts->bot_events},
               {"visitors", counts->bot_visitors}}}});
}

void serve_file(const std::filesystem::path& root,
                std::string_view request_path, const httplib::Request& req,
                httplib::Response& res) {
  const auto file = resolve_static_file(root, request_path);
  if (!file) {
    send_error(res, 404, "not found");
    return;
  }
  // The snippet's names carry no version, so a browser revalidates every
  // time and gets 304 while the file is unchanged.
  res.set_header("Cache-Control", "no-cache");
  const auto tag = entity_tag(*file);
  if (tag) {
    res.set_header("ETag", *tag);
    if (req.get_header_value("If-None-Match").find(*tag) != std::string::npos) {
      res.status = 304;
      return;
    }
  }
  const auto copy =
      precompressed_for(*file, req.get_header_value("Accept-Encoding"));
  const auto body = read_file(copy ? copy->file : *file);
  if (!body) {
    log(log_level::error, "cannot read file", {{"file", file->string()}});
    send_error(res, 500, "cannot read file");
    return;
  }
  if (copy) {
    res.set_header("Content-Encoding", copy->encoding);
    res.set_header("Vary", "Accept-Encoding");
  }
  if (is_document(*file)) {
    res.set_header("Content-Security-Policy", content_security_policy);
  }
  res.set_content(*body, copy ? copy->content_type : content_type_for(*file));
}

void add_routes(httplib::Server& http, context& ctx) {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"ok", true}});
  });
  http.Post("/collect",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              collect(ctx, req, res);
            });
  http.Options("/collect", [](const httplib::Request&, httplib::Response& res) {
    allow_any_origin(res);
    res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", "86400");
    res.status = 204;
  });

  http.Get("/api/events",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             list_events(ctx, req, res);
           });
  http.Get("/api/leads",
           [&ctx](const httplib::Request&, httplib::Response& res) {
             list_leads(ctx, res);
           });
  http.Get("/api/summary",
           [&ctx](const httplib::Request&, httplib::Response& res) {
             summarize(ctx, res);
           });
  http.Get("/api/.*", [](const httplib::Request&, httplib::Response& res) {
    send_error(res, 404, "no such API");
  });

  // The page scores with the collector's model, so both agree on a lead.
  http.Get("/loopkit/scoring.json",
           [&ctx](const httplib::Request&, httplib::Response& res) {
             res.set_header("Cache-Control", "no-cache");
             res.set_content(ctx.site.model_json, json_type);
           });
  http.Get("/loopkit/(.*)",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             serve_file(ctx.site.snippet_dir, req.matches[1].str(), req, res);
           });
  http.Get("/.*", [&ctx](const httplib::Request& req, httplib::Response& res) {
    serve_file(ctx.site.web_dir, req.path, req, res);
  });
}

// Runs for every status >= 400, also after a route wrote its own error, so
// it fills in only what httplib left empty (404 for no route, 413 and 400
// raised while reading the request).
void fill_error(const httplib::Request& req, httplib::Response& res) {
  // The route may have set it already; a doubled header fails CORS.
  if (req.path == "/collect" &&
      !res.has_header("Access-Control-Allow-Origin")) {
    allow_any_origin(res);
  }
  if (res.body.empty()) send_error(res, res.status, status_text(res.status));
}

void report_exception(const httplib::Request& req, httplib::Response& res,
                      std::exception_ptr e) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    what = ex.what();
  } catch (...) {
  }

  log(log_level::error, "request failed",
      {{"path", req.path}, {"error", what}});
  send_error(res, 500, "internal error");
}

void log_request(const httplib::Request& req, const httplib::Response& res) {
  log(log_level::debug, "request",
      {{"method", req.method},
       {"path", req.path},
       {"status", std::to_string(res.status)}});
}

void add_handlers(httplib::Server& http) {
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
  http.set_error_handler(fill_error);
  http.set_exception_handler(report_exception);
  if (log_enabled(log_level::debug)) http.set_logger(log_request);
}

// httplib sets SO_REUSEPORT on Linux, which lets a second collector bind the
// same port and silently take half the traffic. SO_REUSEADDR alone still
// allows a quick restart while old connections sit in TIME_WAIT.
void reuse_address_only(int sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

struct server::impl {
  context ctx;
  httplib::Server http;
};

server::server(store& events, site_config site)
    : impl_(new impl{context{events, std::move(site)}, {}}) {
  auto& http = impl_->http;
  // Each connection holds a worker until it closes or stays silent for the
  // read timeout, and cpp-httplib's pool has as many workers as cores (at
  // least 8): a few stalled mobile clients would hold every page view up.
  // Idle workers cost little; a flood of silent connections still needs a
  // reverse proxy in front (README, "The collector").
  http.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  http.set_read_timeout(read_timeout_seconds);
  http.set_keep_alive_timeout(keep_alive_seconds);
  http.set_payload_max_length(max_collect_body);
  http.set_socket_options(reuse_address_only);
  add_handlers(http);
  add_routes(http, impl_->ctx);
}

server::~server() = default;

result<int, std::string> server::bind(const std::string& host, int port) {
  errno = 0;
  const int bound = port == 0 ? impl_->http.bind_to_any_port(host)
                    : impl_->http.bind_to_port(host, port) ? port
                                                           : -1;
  if (bound < 0) {
    return fail(std::string(errno != 0 ? std::strerror(errno)
                                       : "cannot bind the address"));
  }
  return bound;
}

bool server::run() { return impl_->http.listen_after_bind(); }

bool server::running() const { return impl_->http.is_running(); }

void server::stop() { impl_->http.stop(); }

}  // namespace loopkit::collector
