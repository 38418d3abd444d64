// The session feed: items published by the console's thread, read and waited
// for by the connections' threads.
#include "web/feed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <streambuf>

#include "console/commands.hpp"
#include "console/session.hpp"
#include "web/json_values.hpp"

namespace fw::web {

using nlohmann::json;

namespace {

constexpr size_t kOutputLimit = 256 * 1024;  // a statement's output kept for the page
constexpr size_t kQueryLimit = 200;          // queries listed per statement (all are counted)
constexpr size_t kRowLimit = 200;            // changed rows listed per statement

// The text a terminal showed, without its colours and cursor moves.
std::string plain(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      continue;
    }
    if (text[i] != '\r') out += text[i];
  }
  return out;
}

const char* op_name(storage::RowChange::Op op) {
  switch (op) {
    case storage::RowChange::Op::Insert: return "insert";
    case storage::RowChange::Op::Update: return "update";
    case storage::RowChange::Op::Delete: return "delete";
  }
  return "";
}

json row_json(const std::vector<std::string>& columns, const std::vector<Value>& values) {
  json row = json::object();
  for (size_t i = 0; i < columns.size() && i < values.size(); ++i) row[columns[i]] = value_json(values[i]);
  return row;
}

}  // namespace

// ---- SessionFeed ----

int SessionFeed::publish(json item) {
  std::lock_guard<std::mutex> hold(lock_);
  int n = item.contains("n") ? item["n"].get<int>() : static_cast<int>(items_.size()) + 1;
  item["n"] = n;
  if (n <= static_cast<int>(items_.size())) {
    items_[static_cast<size_t>(n - 1)] = item;
  } else {
    items_.push_back(item);
  }
  events_.push_back(dump(item));
  changed_.notify_all();
  return n;
}

bool SessionFeed::next_events(size_t from, std::vector<std::string>& events, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> hold(lock_);
  changed_.wait_for(hold, timeout, [&] { return closed_ || events_.size() > from; });
  if (closed_) return false;
  for (size_t i = from; i < events_.size(); ++i) events.push_back(events_[i]);
  return true;
}

json SessionFeed::items() const {
  std::lock_guard<std::mutex> hold(lock_);
  return json(items_);
}

std::vector<std::string> SessionFeed::touched_models() const {
  std::lock_guard<std::mutex> hold(lock_);
  if (items_.empty()) return {};
  return items_.back().value("models", std::vector<std::string>{});
}

void SessionFeed::close() {
  std::lock_guard<std::mutex> hold(lock_);
  closed_ = true;
  changed_.notify_all();
}

// ---- What the console prints, copied while a statement runs ----

class FeedRecorder::Capture : public std::streambuf {
 public:
  Capture(std::ostream& stream, std::optional<Pending>& pending, std::string& between)
      : stream_(stream), shown_(stream.rdbuf()), pending_(pending), between_(between) {
    stream_.rdbuf(this);
  }
  bool installed() const { return stream_.rdbuf() == this; }
  std::ostream& stream() const { return stream_; }
  // A capture that `record` took out of its stream, or put its own copy
  // above: a new one on top, and the old one passes everything on.
  static void keep_on_top(std::unique_ptr<Capture>& capture) {
    if (capture->installed()) return;
    std::ostream& stream = capture->stream_;
    auto& pending = capture->pending_;
    auto& between = capture->between_;
    end(std::move(capture));
    capture = std::make_unique<Capture>(stream, pending, between);
  }
  // Takes itself out of the stream, unless another copy (record's) came after
  // it: then it stays, passing everything on, for as long as the program runs.
  static void end(std::unique_ptr<Capture> capture) {
    if (!capture) return;
    if (capture->stream_.rdbuf() == capture.get()) {
      capture->stream_.rdbuf(capture->shown_);
      return;
    }
    // Never freed: the stream may write through it up to the program's last flush.
    static auto* kept = new std::vector<Capture*>;
    capture->passing_ = true;
    kept->push_back(capture.release());
  }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    char ch = static_cast<char>(c);
    copy(&ch, 1);
    return shown_->sputc(ch) == traits_type::eof() ? traits_type::eof() : c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    copy(s, static_cast<size_t>(n));
    return shown_->sputn(s, n);
  }
  int sync() override { return shown_->pubsync(); }

 private:
  void copy(const char* s, size_t n) {
    if (passing_) return;
    auto& out = pending_ ? pending_->output : between_;
    if (out.size() < kOutputLimit) out.append(s, std::min(n, kOutputLimit - out.size()));
  }
  std::ostream& stream_;
  std::streambuf* shown_;
  std::optional<Pending>& pending_;
  std::string& between_;
  bool passing_ = false;
};

// ---- FeedRecorder ----

FeedRecorder::FeedRecorder(console::Session& session, SessionFeed& feed)
    : session_(session),
      feed_(feed),
      out_capture_(std::make_unique<Capture>(session.out(), pending_, between_)),
      err_capture_(std::make_unique<Capture>(session.err(), pending_, between_)) {
  listener_ = session.env().db().listen([this](const storage::Query& q, std::chrono::microseconds took) {
    if (!pending_ || q.label == "TRANSACTION") return;
    pending_->queries.add(q, took);
    auto& list = pending_->item["queries"];
    if (list.size() >= kQueryLimit) return;
    json binds = json::array();
    for (const auto& b : q.binds) binds.push_back({b.name, value_json(b.value)});
    list.push_back({{"label", q.label}, {"sql", q.sql}, {"binds", binds}, {"ms", took.count() / 1000.0}});
  });
}

FeedRecorder::~FeedRecorder() {
  session_.env().db().unlisten(listener_);
  Capture::end(std::move(out_capture_));
  Capture::end(std::move(err_capture_));
}

void FeedRecorder::begin(json item, bool undo) {
  if (item.value("comments", std::string()).find('#') == std::string::npos) {
    // A live lesson shows a step's comments itself before it runs the statement alone.
    std::string comments;
    std::istringstream lines(plain(between_));
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("#", 0) == 0) comments += line + "\n";
    if (!comments.empty()) item["comments"] = comments;
  }
  between_.clear();
  Capture::keep_on_top(out_capture_);
  Capture::keep_on_top(err_capture_);
  pending_.emplace();
  item["queries"] = json::array();
  pending_->item = std::move(item);
  pending_->undo = undo;
  pending_->newest_before = session_.runner().undo_history().newest();
}

void FeedRecorder::statement_read(const console::ReadStatement& statement) {
  if (statement.depth != 1) return;
  bool undo = statement.command && std::string(statement.command->name) == "undo";
  begin({{"statement", std::string(statement.text)}, {"comments", std::string(statement.comments)}}, undo);
}

void FeedRecorder::error_read(int depth) {
  if (depth != 1) return;
  begin({{"statement", ""}}, false);
  pending_->failed = true;
}

void FeedRecorder::statement_ended(std::chrono::microseconds took) {
  if (pending_) pending_->item["ms"] = took.count() / 1000.0;
}

void FeedRecorder::statement_failed(int depth) {
  if (depth == 1 && pending_) pending_->failed = true;
}

void FeedRecorder::statement_done(size_t, int depth) {
  if (depth == 1 && pending_) finish();
}

void FeedRecorder::script_ended(int depth) {
  if (depth == 1 && pending_) finish();  // the statement that stopped the script
}

// The rows the statement changed, from the entry undo keeps of it.
void FeedRecorder::add_changes(Pending& p) {
  auto& history = session_.runner().undo_history();
  const console::UndoEntry* entry = history.newest_entry();
  if (!entry || entry->serial <= p.newest_before) return;
  auto rows = entry->changes.rows(session_.env().db());
  json changes = json::array();
  for (const auto& row : rows) {
    if (changes.size() >= kRowLimit) break;
    changes.push_back({{"table", row.table}, {"op", op_name(row.op)}, {"before", row_json(row.columns, row.before)},
                       {"after", row_json(row.columns, row.after)}});
  }
  p.item["changes"] = changes;
  p.item["changed_rows"] = rows.size();
  items_of_serials_[entry->serial] = static_cast<int>(p.item.value("n", 0));
}

// An undo: the items whose changes it reverted are marked, and it shows
// their rows put back (each change the other way round).
void FeedRecorder::add_reverted(Pending& p) {
  auto newest = session_.runner().undo_history().newest();
  json reverted = json::array(), changes = json::array();
  json items = feed_.items();
  for (auto it = items_of_serials_.upper_bound(newest); it != items_of_serials_.end();) {
    json item = items[static_cast<size_t>(it->second - 1)];
    reverted.push_back(it->second);
    for (const auto& c : item.value("changes", json::array())) {
      std::string op = c["op"];
      changes.push_back({{"table", c["table"]},
                         {"op", op == "insert" ? "delete" : op == "delete" ? "insert" : "update"},
                         {"before", c["after"]},
                         {"after", c["before"]}});
    }
    item["undone_by"] = static_cast<int>(items.size()) + 1;
    feed_.publish(item);
    it = items_of_serials_.erase(it);
  }
  if (reverted.empty()) return;
  p.item["reverted"] = reverted;
  p.item["changes"] = changes;
  p.item["changed_rows"] = changes.size();
}

// Statements whose changes left undo's history without an undo: the user's
// transaction they ran in was rolled back. Their items say so.
void FeedRecorder::mark_rolled_back(Pending& p) {
  auto newest = session_.runner().undo_history().newest();
  auto first = items_of_serials_.upper_bound(newest);
  if (first == items_of_serials_.end()) return;
  json items = feed_.items();
  for (auto it = first; it != items_of_serials_.end(); ++it) {
    json item = items[static_cast<size_t>(it->second - 1)];
    item["rolled_back_by"] = p.item["n"];
    feed_.publish(item);
  }
  items_of_serials_.erase(first, items_of_serials_.end());
}

void FeedRecorder::finish() {
  Pending p = std::move(*pending_);
  pending_.reset();
  bool failed = p.failed;
  auto& item = p.item;
  item["output"] = plain(p.output);
  item["failed"] = failed;
  item["query_count"] = p.queries.count();
  const model::App& app = session_.app();
  if (auto hint = p.queries.n_plus_one(app)) item["hint"] = *hint;
  item["n"] = static_cast<int>(feed_.items().size()) + 1;
  if (!failed && p.undo) add_reverted(p);
  item["n"] = static_cast<int>(feed_.items().size()) + 1;  // after the items undo marked
  if (!p.undo) mark_rolled_back(p);
  if (!failed && !p.undo) add_changes(p);
  // The models it read or changed, for the diagram: "User Load", and the tables of the changed rows.
  std::vector<std::string> models;
  auto add = [&](const std::string& name) {
    if (std::find(models.begin(), models.end(), name) == models.end()) models.push_back(name);
  };
  for (const auto& q : item["queries"]) {
    std::string label = q["label"];
    std::string name = label.substr(0, label.find(' '));
    for (const auto& m : app.models())
      if (m->name == name) add(name);
  }
  for (const auto& c : item.value("changes", json::array()))
    for (const auto& m : app.models())
      if (m->table == c["table"].get<std::string>()) add(m->name);
  item["models"] = models;
  // When it was published, in seconds since 1970: how long it took to reach a page (scripts/bench).
  item["at"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  feed_.publish(std::move(item));
}

}  // namespace fw::web
