#include "store.h"

#include <mutex>
#include <utility>

#include <sqlite3.h>

namespace loopkit::collector {
namespace {

// The schema is created on open; IF NOT EXISTS keeps an existing file as is.
constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  time INTEGER NOT NULL,
  visitor_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  site TEXT NOT NULL,
  json TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  bot INTEGER NOT NULL DEFAULT 0,
  raw INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_by_visitor ON events (visitor_id, time);
CREATE INDEX IF NOT EXISTS events_by_time ON events (time);
)sql";

// Files written before bots were flagged lack the column; their events all
// count as people's, as they did then.
constexpr const char* has_bot_sql = "SELECT bot FROM events LIMIT 0";
constexpr const char* add_bot_sql =
    "ALTER TABLE events ADD COLUMN bot INTEGER NOT NULL DEFAULT 0";
// Likewise for raw views: an older file's rows are all final.
constexpr const char* has_raw_sql = "SELECT raw FROM events LIMIT 0";
constexpr const char* add_raw_sql =
    "ALTER TABLE events ADD COLUMN raw INTEGER NOT NULL DEFAULT 0";

// rowid breaks ties in time: it grows in the order rows were inserted, and
// a raw view replaced in place keeps its own.
// https://www.sqlite.org/lang_upsert.html
constexpr const char* insert_sql =
    "INSERT INTO events (id, type, name, time, visitor_id, session_id, site, "
    "json, received_at, bot, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0) "
    "ON CONFLICT (id) DO UPDATE SET type = excluded.type, "
    "name = excluded.name, time = excluded.time, "
    "visitor_id = excluded.visitor_id, session_id = excluded.session_id, "
    "site = excluded.site, json = excluded.json, "
    "received_at = excluded.received_at, bot = excluded.bot, raw = 0 "
    "WHERE events.raw = 1 AND excluded.type = 'page_view' "
    "AND excluded.site = events.site";
constexpr const char* insert_raw_sql =
    "INSERT OR IGNORE INTO events (id, type, name, time, visitor_id, "
    "session_id, site, json, received_at, bot, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)";
// ?2 is 0 for people, 1 for bots, 2 for both.
constexpr const char* latest_sql =
    "SELECT json, received_at, bot FROM events WHERE ?2 = 2 OR bot = ?2 "
    "ORDER BY time DESC, rowid DESC LIMIT ?1";
constexpr const char* session_sql =
    "SELECT json, received_at, bot FROM events "
    "WHERE visitor_id = ?1 AND session_id = ?2 AND bot = ?3 "
    "ORDER BY time DESC, rowid DESC LIMIT 1";
constexpr const char* visitor_sql =
    "SELECT json, received_at, bot FROM events "
    "WHERE visitor_id = ?1 AND time <= ?2 AND bot = ?3 "
    "ORDER BY time DESC, rowid DESC LIMIT 1";
constexpr const char* lead_visitor_sql =
    "SELECT json, received_at, bot FROM events WHERE bot = 0 AND visitor_id "
    "IN (SELECT visitor_id FROM events WHERE type = ?1 AND bot = 0) "
    "ORDER BY visitor_id, time, rowid";

constexpr const char* count_sql =
    "SELECT COUNT(*), COALESCE(SUM(type = 'page_view'), 0), "
    "COUNT(DISTINCT visitor_id), "
    "COUNT(DISTINCT visitor_id || char(10) || session_id), "
    "COUNT(DISTINCT CASE WHEN type = 'lead' THEN visitor_id END) "
    "FROM events WHERE bot = 0";
constexpr const char* bot_count_sql =
    "SELECT COUNT(*), COUNT(DISTINCT visitor_id) FROM events WHERE bot = 1";
// A session's channel is its first event's: SQLite takes the bare column
// from the row holding MIN(time).
// https://www.sqlite.org/lang_select.html#bareagg
constexpr const char* channel_sql =
    "SELECT channel, COUNT(*) FROM (SELECT COALESCE(NULLIF("
    "json_extract(json, '$.touch.channel'), ''), '(not set)') AS channel, "
    "MIN(time) FROM events WHERE bot = 0 GROUP BY visitor_id, session_id) "
    "GROUP BY channel ORDER BY 2 DESC, 1";

struct db_closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using db_handle = std::unique_ptr<sqlite3, db_closer>;

struct statement_finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using statement = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

store_error sqlite_error(sqlite3* db, const char* doing) {
  return {std::string(doing) + ": " + sqlite3_errmsg(db)};
}

void bind_text(sqlite3_stmt* s, int index, const std::string& text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* s, int index) {
  const auto* text = sqlite3_column_text(s, index);
  const int size = sqlite3_column_bytes(s, index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

}  // namespace

struct store::impl {
  db_handle db;
  std::mutex mutex;

  result<statement, store_error> prepare(const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
      return fail(sqlite_error(db.get(), "prepare"));
    }
    return statement(raw);
  }

  // Runs a prepared query and collects (json, received_at, bot) rows.
  result<std::vector<stored_event>, store_error> read_rows(sqlite3_stmt* s) {
    std::vector<stored_event> rows;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      rows.push_back({column_text(s, 0), sqlite3_column_int64(s, 1),
                      sqlite3_column_int(s, 2) != 0});
    }
    if (rc != SQLITE_DONE) return fail(sqlite_error(db.get(), "read events"));
    return rows;
  }

  // The first row of a query that asks for one; an empty json when none.
  result<stored_event, store_error> read_first(sqlite3_stmt* s) {
    auto rows = read_rows(s);
    if (!rows) return fail(rows.error());
    return rows->empty() ? stored_event{} : std::move(rows->front());
  }

  bool exec(const char* sql) {
    return sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }
};

store::store(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

result<store, store_error> store::open(const std::string& path) {
  auto state = std::make_unique<impl>();
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                    SQLITE_OPEN_NOMUTEX;  // our own mutex serializes calls
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  state->db.reset(raw);  // closed even when opening failed
  if (rc != SQLITE_OK) return fail(sqlite_error(raw, "open database"));

  // A reader holding the file briefly (the sqlite3 shell) makes us wait a
  // little instead of failing the request.
  sqlite3_busy_timeout(raw, 5000);
  if (!state->exec("PRAGMA journal_mode=WAL") ||
      !state->exec("PRAGMA synchronous=NORMAL")) {
    return fail(sqlite_error(raw, "configure database"));
  }
  if (!state->exec(schema_sql)) return fail(sqlite_error(raw, "create tables"));
  if (!state->prepare(has_bot_sql) && !state->exec(add_bot_sql)) {
    return fail(sqlite_error(raw, "add the bot column"));
  }
  if (!state->prepare(has_raw_sql) && !state->exec(add_raw_sql)) {
    return fail(sqlite_error(raw, "add the raw column"));
  }

  return store(std::move(state));
}

result<insert_counts, store_error> store::insert(
    const std::vector<event>& events, const std::vector<event>& raw_views,
    std::int64_t received_at, bool bot) {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  auto insert = impl_->prepare(insert_sql);
  if (!insert) return fail(insert.error());
  auto insert_raw = impl_->prepare(insert_raw_sql);
  if (!insert_raw) return fail(insert_raw.error());
  if (!impl_->exec("BEGIN IMMEDIATE")) {
    return fail(sqlite_error(db, "begin transaction"));
  }

  insert_counts counts;
  // Events first: a raw view that travels with the event that replaces it
  // is then the duplicate.
  const std::pair<sqlite3_stmt*, const std::vector<event>*> batches[] = {
      {insert->get(), &events}, {insert_raw->get(), &raw_views}};
  for (const auto& [s, batch] : batches) {
    for (const auto& e : *batch) {
      sqlite3_reset(s);
      bind_text(s, 1, e.id);
      bind_text(s, 2, to_string(e.type));
      bind_text(s, 3, e.name);
      sqlite3_bind_int64(s, 4, e.time);
      bind_text(s, 5, e.visitor_id);
      bind_text(s, 6, e.session_id);
      bind_text(s, 7, e.site);
      // The re-encoded form, never the request body: whatever the decoder
      // dropped (unknown props, a raw email) cannot reach the disk.
      bind_text(s, 8, dump(to_json(e)));
      sqlite3_bind_int64(s, 9, received_at);
      sqlite3_bind_int(s, 10, bot ? 1 : 0);
      if (sqlite3_step(s) != SQLITE_DONE) {
        auto error = sqlite_error(db, "insert event");
        impl_->exec("ROLLBACK");
        return fail(std::move(error));
      }
      if (sqlite3_changes(db) == 1) {
        ++counts.stored;
      } else {
        ++counts.duplicates;
      }
    }
  }

  if (!impl_->exec("COMMIT")) {
    auto error = sqlite_error(db, "commit");
    impl_->exec("ROLLBACK");
    return fail(std::move(error));
  }
  return counts;
}

result<std::vector<stored_event>, store_error> store::latest(
    std::size_t limit, bot_filter which) {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto query = impl_->prepare(latest_sql);
  if (!query) return fail(query.error());

  sqlite3_bind_int64(query->get(), 1, static_cast<sqlite3_int64>(limit));
  sqlite3_bind_int(query->get(), 2, which == bot_filter::humans ? 0
                                    : which == bot_filter::bots ? 1
                                                                : 2);
  return impl_->read_rows(query->get());
}

result<stored_event, store_error> store::latest_in_session(
    const std::string& visitor_id, const std::string& session_id, bool bot) {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto query = impl_->prepare(session_sql);
  if (!query) return fail(query.error());

  bind_text(query->get(), 1, visitor_id);
  bind_text(query->get(), 2, session_id);
  sqlite3_bind_int(query->get(), 3, bot ? 1 : 0);
  return impl_->read_first(query->get());
}

result<stored_event, store_error> store::latest_of_visitor(
    const std::string& visitor_id, std::int64_t time, bool bot) {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto query = impl_->prepare(visitor_sql);
  if (!query) return fail(query.error());

  bind_text(query->get(), 1, visitor_id);
  sqlite3_bind_int64(query->get(), 2, time);
  sqlite3_bind_int(query->get(), 3, bot ? 1 : 0);
  return impl_->read_first(query->get());
}

result<store_summary, store_error> store::summary() {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto counts = impl_->prepare(count_sql);
  auto bots = impl_->prepare(bot_count_sql);
  auto channels = impl_->prepare(channel_sql);
  if (!counts) return fail(counts.error());
  if (!bots) return fail(bots.error());
  if (!channels) return fail(channels.error());

  store_summary out;
  sqlite3_stmt* c = counts->get();
  sqlite3_stmt* b = bots->get();
  if (sqlite3_step(c) != SQLITE_ROW || sqlite3_step(b) != SQLITE_ROW) {
    return fail(sqlite_error(impl_->db.get(), "count events"));
  }
  out.events = sqlite3_column_int64(c, 0);
  out.page_views = sqlite3_column_int64(c, 1);
  out.visitors = sqlite3_column_int64(c, 2);
  out.sessions = sqlite3_column_int64(c, 3);
  out.leads = sqlite3_column_int64(c, 4);
  out.bot_events = sqlite3_column_int64(b, 0);
  out.bot_visitors = sqlite3_column_int64(b, 1);

  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(channels->get())) == SQLITE_ROW) {
    out.channels.emplace_back(column_text(channels->get(), 0),
                              sqlite3_column_int64(channels->get(), 1));
  }
  if (rc != SQLITE_DONE) {
    return fail(sqlite_error(impl_->db.get(), "count channels"));
  }
  return out;
}

result<std::vector<stored_event>, store_error> store::lead_visitor_events() {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  auto query = impl_->prepare(lead_visitor_sql);
  if (!query) return fail(query.error());

  bind_text(query->get(), 1, to_string(event_type::lead));
  return impl_->read_rows(query->get());
}

}  // namespace loopkit::collector
