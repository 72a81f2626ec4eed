// The collector's HTTP side: events in, the API and lead list out, and the
// demo pages with the snippet that sends the events.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "loopkit/event.h"
#include "loopkit/raw_view.h"
#include "loopkit/result.h"
#include "loopkit/scoring.h"
#include "store.h"

namespace loopkit::collector {

// A batch is a few kilobytes; anything near the core's limit is a bug or an
// attack, answered with 413 before decoding.
inline constexpr std::size_t max_collect_body = max_batch_bytes;

// Connections: workers answering at once, how long a request may go
// without a byte arriving, and how long a kept-alive connection may sit
// idle (it holds a worker meanwhile, so briefly: a page sends its next
// batch within a second or two).
inline constexpr std::size_t worker_threads = 128;
inline constexpr int read_timeout_seconds = 5;
inline constexpr int keep_alive_seconds = 2;

struct site_config {
  std::filesystem::path web_dir;      // served at /
  std::filesystem::path snippet_dir;  // served at /loopkit/
  scoring_model model;
  std::string model_json;  // served at /loopkit/scoring.json for the page
  // Referrers and channels for raw page views (--referrers, --channels).
  raw_view_settings classify;
};

// Routes:
//   POST /collect            a batch of events and raw page views; stored
//                            once per event id, apart when a bot sent it
//   GET  /api/events?limit=N newest first; &bots=include or only
//   GET  /api/leads          scored with site_config::model, bots left out
//   GET  /api/summary        counts of people's events, bots apart
//   GET  /healthz
//   GET  /loopkit/...        snippet files and scoring.json
//   GET  /...                web_dir files, HTML with a strict CSP
// Every error body is {"ok":false,"error":"..."}.
class server {
 public:
  server(store& events, site_config site);
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server();

  // Starts listening and returns the port (port 0 picks a free one). The
  // error names the cause, "Address already in use".
  [[nodiscard]] result<int, std::string> bind(const std::string& host,
                                              int port);

  // Serves until stop(); false when the accept loop failed.
  bool run();

  // True from the moment run() accepts connections until it returns.
  [[nodiscard]] bool running() const;

  // Ends run() once running() is true; call it once, from any thread but
  // not from a signal handler.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace loopkit::collector
