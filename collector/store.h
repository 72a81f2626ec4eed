// The collector's event store: one SQLite file holding each event once, in
// its canonical JSON form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
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
};

struct insert_counts {
  std::size_t stored = 0;
  std::size_t duplicates = 0;  // ids already stored, left as they were
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

  // Stores a batch in one transaction. An id already present counts as a
  // duplicate, so a client that retries never double counts. On failure
  // nothing of the batch is stored.
  [[nodiscard]] result<insert_counts, store_error> insert(
      const std::vector<event>& events, std::int64_t received_at);

  // At most limit events, newest first: by event time, then by the order
  // they were received.
  [[nodiscard]] result<std::vector<stored_event>, store_error> latest(
      std::size_t limit);

  // Every event of each visitor who sent at least one lead, grouped by
  // visitor and oldest first within a visitor.
  // TODO: page this by visitor; a site with many leads reads them all here.
  [[nodiscard]] result<std::vector<stored_event>, store_error>
  lead_visitor_events();

 private:
  struct impl;
  explicit store(std::unique_ptr<impl> state);

  std::unique_ptr<impl> impl_;
};

}  // namespace loopkit::collector
