// The collector's event store: one SQLite file holding each event once, in
// its canonical JSON form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "loopkit/event.h"
#include "loopkit/result.h"

namespace loopkit::collector {

struct store_error {
  std::string message;  // SQLite's own message, with what we were doing
};

struct stored_event {
  std::string json;              // the event as loopkit::to_json wrote it
  std::int64_t received_at = 0;  // milliseconds since the Unix epoch
  bool bot = false;              // sent by a user agent is_bot recognises
};

// Which events a listing holds: events from bots are stored apart (their
// bot column is 1) and left out of every count, lead and score.
enum class bot_filter : std::uint8_t { humans, bots, all };

struct insert_counts {
  std::size_t stored = 0;       // new, or replacing a raw view
  std::size_t duplicates = 0;  // ids already stored, left as they were
};

struct store_summary {
  std::int64_t events = 0;  // everything below counts people only
  std::int64_t page_views = 0;
  std::int64_t visitors = 0;
  std::int64_t sessions = 0;
  std::int64_t leads = 0;  // visitors who sent a lead
  // Sessions by the channel of their first event, most first; a touch
  // without a channel (an older client) counts as "(not set)".
  std::vector<std::pair<std::string, std::int64_t>> channels;
  std::int64_t bot_events = 0;
  std::int64_t bot_visitors = 0;
};

// One connection, used by one thread at a time: every call takes a lock, so
// the HTTP worker threads can share a store.
class store {
 public:
  // Opens the file, creating it and its tables when missing, in WAL mode so
  // a reader (the sqlite3 shell, a backup) never blocks the collector.
  [[nodiscard]] static result<store, store_error> open(const std::string& path);

  store(store&&) noexcept;
  store& operator=(store&&) noexcept;
  ~store();

  // Stores a batch in one transaction, flagged as a bot's when bot is true.
  // An id already present counts as a duplicate, so a client that retries
  // never double counts; the one exception is a raw view (a page view the
  // collector classified for a page whose core had not loaded yet), which
  // the page's own page_view with the same id and site replaces when it
  // follows (its visitor may differ: one adopted from a linked site). Raw
  // views are stored only under ids not yet present. On failure nothing of
  // the batch is stored.
  [[nodiscard]] result<insert_counts, store_error> insert(
      const std::vector<event>& events, const std::vector<event>& raw_views,
      std::int64_t received_at, bool bot = false);

  // At most limit events, newest first: by event time, then by the order
  // they were received.
  [[nodiscard]] result<std::vector<stored_event>, store_error> latest(
      std::size_t limit, bot_filter which = bot_filter::humans);

  // The newest event of a session (with the same bot flag), to carry its
  // touch over to raw page views of that session; empty json when none.
  [[nodiscard]] result<stored_event, store_error> latest_in_session(
      const std::string& visitor_id, const std::string& session_id, bool bot);

  // The visitor's newest event at or before time (with the same bot flag),
  // to join a raw page view sent without a session id to the session it
  // belongs to; empty json when none.
  [[nodiscard]] result<stored_event, store_error> latest_of_visitor(
      const std::string& visitor_id, std::int64_t time, bool bot);

  // Counts for /api/summary, bots apart.
  [[nodiscard]] result<store_summary, store_error> summary();

  // Every event of each visitor (not a bot) who sent at least one lead,
  // grouped by visitor and oldest first within a visitor.
  // TODO: page this by visitor; a site with many leads reads them all here.
  [[nodiscard]] result<std::vector<stored_event>, store_error>
  lead_visitor_events();

 private:
  struct impl;
  explicit store(std::unique_ptr<impl> state);

  std::unique_ptr<impl> impl_;
};

}  // namespace loopkit::collector
