#include "console/help.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "base/error.hpp"
#include "base/text.hpp"
#include "console/commands.hpp"
#include "lang/vocabulary.hpp"

namespace fw::console {

namespace {

// The help topics come in three groups, joined in the order `help` lists them.

// The models: their associations, validations, the command form and queries.
std::vector<HelpTopic> model_topics() {
  return {
      {"associations", "belongs_to, has_many, has_many :through, and what each one runs",
       "An association is declared on a model in db/models.fw and read as a method of a record.\n"
       "belongs_to reads a foreign key on the record itself (tweet.user_id); has_many reads the\n"
       "foreign key on the other table (tweets.user_id); has_many :through joins across a model in\n"
       "between (users -> hearts -> tweets). `associations User` lists a model's associations with\n"
       "their options, and `sql on` shows the SQL each one runs.",
       {{"user(1).tweets", "has_many: SELECT tweets WHERE user_id = 1"},
        {"tweet(1).user", "belongs_to: the user whose id is tweet(1).user_id"},
        {"user(1).sent_messages", "has_many with class_name: \"Message\", foreign_key: \"sender_id\""},
        {"message(1).sender", "belongs_to :sender, class_name: \"User\""},
        {"user(2).liked_tweets", "has_many :through hearts, source: :tweet: one JOIN"},
        {"tweet(1).likers", "the other way through hearts"},
        {"user(1).following", "a self-referential through: active_follows, source: :followed"},
        {"tweet(5).username", "delegate :username, to: :user"},
        {"user(3).liked_tweets << tweet(2)", "<< on a through association creates the join record (a heart)"},
        {"user(1).tweets.count", "COUNT in SQL, no records loaded"},
        {"author(1).books", "has_many :books, -> { order(published_at: :desc) }: the scope on every read", "guides"},
        {"author(1).recent_books.count", "has_many :recent_books, -> { where(\"published_at >= ?\", ...) }",
         "guides"},
        {"author(2).books_count", "belongs_to :author, counter_cache: true keeps it on create and destroy", "guides"},
        {"picture(1).imageable", "belongs_to :imageable, polymorphic: true: the model imageable_type names",
         "guides"},
        {"product(1).pictures.create!(name: \"front\")", "has_many :pictures, as: :imageable: sets the type and id",
         "guides"}}},
      {"validations", "why a save fails, and how to read the errors",
       "Validations are declared in db/models.fw (validates :username, presence: true, uniqueness: true).\n"
       "save and create return false or an unsaved record when one fails; save! and create! raise\n"
       "\"Validation failed: ...\". errors holds the messages, as ActiveRecord words them.",
       {{"u = User.new(username: \"\")", "a new record, not saved"},
        {"u.valid?", "=> false: username can't be blank, email can't be blank"},
        {"u.errors.full_messages", "the messages, as ActiveRecord words them"},
        {"User.create(username: \"ann\", email: \"x@example.com\").errors.full_messages", "uniqueness"},
        {"Tweet.new(content: \"x\" * 300, user: user(1)).valid?", "length: { maximum: 280 }"},
        {"heart = Heart.new(user: user(2), tweet: tweet(1)); heart.save", "false: the pair is unique"}}},
      {"command_form", "MODEL key=value ...: create a record the short way",
       "`heart user=2 tweet=5` means Heart.create!(user_id: 2, tweet_id: 5). A key names a column or a\n"
       "belongs_to association (user=2 sets user_id); assoc.column=value finds the associated record by\n"
       "that column. A value is a quoted string, a number, nil/true/false, a (parenthesised expression)\n"
       "or a bare word running to the next space.",
       {{"heart user=2 tweet=5", "Heart.create!(user_id: 2, tweet_id: 5)"},
        {"heart user.email=ann@example.com tweet=4", "finds the user by email"},
        {"tweet user=3 content=\"Hello from the command form\"", "a quoted value"},
        {"follow follower=3 followed=(User.find_by(username: \"ann\").id)", "a parenthesised expression"}}},
      {"queries", "where, order, limit, pluck, count: relations built step by step",
       "Model methods return relations, which run their SQL only when their records are needed. Chain\n"
       "them as in Rails; `to_sql` shows the SQL without running it.",
       {{"User.where(username: \"ann\")", "WHERE \"users\".\"username\" = ?"},
        {"Tweet.where(user_id: [1, 2]).order(created_at: :desc).limit(2)", "IN, ORDER BY, LIMIT"},
        {"User.order(:username).pluck(:username)", "values without building records"},
        {"Tweet.where(user: user(2)).count", "an association as a condition"},
        {"User.find_by(email: \"bob@example.com\")", "the first match, or nil"},
        {"user(1).tweets.order(created_at: :desc).to_sql", "the SQL, not run"},
        {"User.exists?(username: \"cat\")", "SELECT 1 ... LIMIT 1"}}},
  };
}

// Ruby's own: blocks, scripts and the ways of irb.
std::vector<HelpTopic> ruby_topics() {
  return {
      {"blocks", "map, each, select, sort_by: Ruby's blocks and Enumerable",
       "Blocks are written { |x| ... } or do |x| ... end and close over variables; &:name is a block\n"
       "that calls name. The Enumerable methods work on arrays, hashes, ranges and relations.",
       {{"user(1).following.map(&:username)", "&:name"},
        {"User.all.map { |u| [u.username, u.tweets.count] }.to_h", "a block with a value"},
        {"Tweet.all.group_by(&:user_id).transform_values(&:count)", "a hash of counts"},
        {"(1..3).each do |i|\n  puts \"line #{i}\"\nend", "do ... end spans lines"},
        {"User.all.sort_by { |u| -u.tweets.count }.first.username", "the busiest tweeter"}}},
      {"scripts", "statements in a file: run, load, the seed script",
       "A script is statements one per line (or separated by ;). `fwitter run FILE` runs one as a\n"
       "transaction: when a statement fails, everything the script did is rolled back. In the console,\n"
       "load \"FILE\" runs one inside the session; `transaction` (or `begin` alone on a line) opens a\n"
       "transaction that spans statements until `commit` or `rollback`; def defines a function for later\n"
       "statements.",
       {{"def make_user(name)\n  User.create!(username: name, email: \"#{name}@example.com\")\nend",
         "a function for later statements"},
        {"make_user(\"dave\").id", "calls it"},
        {"3.times do |i|\n  tweet user=1 content=\"tweet number #{i + 1}\"\nend", "the command form in a loop"},
        {"email = User.find_by(username: \"zed\")&.email || \"nobody\"", "&. and ||"}}},
      {"ruby", "Ruby as irb runs it: a line's last value, rescue, multiple assignment, durations",
       "As irb, a line of statements separated by ; shows one value, the last one's; an error stops the\n"
       "rest of the line. `begin` followed by Ruby is Ruby's begin ... rescue ... ensure ... end (alone on\n"
       "a line it opens a transaction; `transaction` always does). Strings, arrays and hashes are shared by\n"
       "every variable that holds them, as in Ruby (dup copies); classes are values; ActiveSupport's\n"
       "durations and calendar work in where.",
       {{"a, b = 1, 2; [b, a]", "multiple assignment: => [2, 1]"},
        {"begin; User.find(99); rescue ActiveRecord::RecordNotFound => e; e.message; end", "rescue by class"},
        {"counts = Hash.new(0); Tweet.all.each { |t| counts[t.user_id] += 1 }; counts", "a hash with a default"},
        {"def greet(name = \"you\", greeting: \"hi\") = \"#{greeting} #{name}\"", "defaults, keywords, endless def"},
        {"Tweet.where(created_at: 1.day.ago..).count", "the last day's tweets"},
        {"Date.today.beginning_of_week", "ActiveSupport's calendar"}}},
  };
}

// The console's: how results print, and undo, explain, diagram and record.
std::vector<HelpTopic> console_topics() {
  return {
      {"output", "table, inspect, json, csv; the SQL log and the timer",
       "Results print as a table by default, the first 50 rows of a long result (`format table --all`\n"
       "prints every row); `format inspect` prints as ActiveRecord's inspect, `format json` one JSON line\n"
       "a statement, `format csv` CSV. `sql on` logs each SQL statement as Rails does;\n"
       "`timer on` shows each statement's time and number of queries.",
       {{"user(1)", "a record as a one-row table"},
        {"User.count", "other values irb-style: => 3"},
        {"p user(1).username", "p prints inspect and gives the value back"},
        {"puts User.pluck(:username)", "puts prints each item on a line"},
        {"user(1).attributes", "a hash"}}},
      {"undo", "undo, explain, diagram and record: try things, see what they would do, draw, keep",
       "`undo` reverts everything the last statement changed, a destroy's whole cascade included, and says\n"
       "what it put back per table; again, it steps back one more statement. Records held in variables are\n"
       "read again. `explain STATEMENT` runs a statement in a savepoint that is always rolled back and tells\n"
       "the associations it follows, its SQL with the values bound and SQLite's plan for each, how many rows\n"
       "per table it would insert, delete, nullify or update, and what would stop it (restrict_with_error,\n"
       "a validation). `diagram` draws the models and associations as a Mermaid erDiagram (`diagram dot`:\n"
       "Graphviz DOT; `fwitter diagram --format dot | dot -Tpng` on the command line). `record \"file\"`\n"
       "writes the session from then on as --echo prints it, a handout; `record off` stops.",
       {{"explain user(3).destroy", "the cascade it would run, counted per table, changing nothing"},
        {"user(3).destroy", "the user, its tweets, hearts, messages and follows"},
        {"undo", "puts every one of those rows back"},
        {"tweet user=1 content=\"oops\"", "a new tweet"},
        {"undo", "removes it again"},
        {"explain tweet(1).update(content: \"\")", "would be stopped by a validation"},
        {"explain user(2).liked_tweets", "a through association: its path, SQL and plan"},
        {"diagram", "Mermaid erDiagram (GitHub renders it)"},
        {"diagram dot", "Graphviz DOT"}}},
      {"web", "web: the class follows the session live in a browser",
       "`web` (or `fwitter --web`) starts a view of this session at the address it prints,\n"
       "http://127.0.0.1:8765/ (the next free port if that one is taken; `web 9000` another). Each statement\n"
       "appears on the page as it ends: as typed, its output, the SQL it ran with its values and times, the\n"
       "N+1 hint, and the rows it inserted, changed or deleted, before and after; an undo shows what it\n"
       "reverted. /User/1 shows a record with every association, linked; /User lists a model's rows, sorted\n"
       "by any column; /diagram draws the models, the tables the last statement touched marked. Each page\n"
       "is JSON at the same address plus .json. `web share` (--web-share) listens on the network for the\n"
       "learners' laptops, behind a token in the printed address. The view only reads.",
       {}},
  };
}

}  // namespace

const std::vector<HelpTopic>& help_topics() {
  static const std::vector<HelpTopic> topics = [] {
    std::vector<HelpTopic> all;
    for (const auto& group : {model_topics(), ruby_topics(), console_topics()})
      all.insert(all.end(), group.begin(), group.end());
    return all;
  }();
  return topics;
}

std::vector<std::string> help_topic_names() {
  std::vector<std::string> names;
  for (const auto& t : help_topics()) names.push_back(t.name);
  return names;
}

namespace {

using Examples = std::map<std::string, std::string, std::less<>>;

// ActiveRecord's methods: relations, records and their errors.
Examples record_examples() {
  return {
      {"Relation#where", "User.where(username: \"ann\")"},
      {"Relation#find_by", "User.find_by(email: \"bob@example.com\")"},
      {"Relation#find", "User.find(1)"},
      {"Relation#order", "User.order(username: :desc)"},
      {"Relation#limit", "Tweet.limit(2)"},
      {"Relation#offset", "Tweet.offset(2)"},
      {"Relation#pluck", "User.pluck(:id, :username)"},
      {"Relation#count", "user(1).tweets.count"},
      {"Relation#first", "User.first"},
      {"Relation#last", "Tweet.last"},
      {"Relation#exists?", "User.exists?(username: \"ann\")"},
      {"Relation#create", "User.create(username: \"erin\", email: \"erin@example.com\")"},
      {"Relation#create!", "Tweet.create!(user: user(1), content: \"hi\")"},
      {"Relation#new", "User.new(username: \"zoe\")"},
      {"Relation#include?", "user(1).tweets.include?(tweet(1))"},
      {"Relation#<<", "user(3).liked_tweets << tweet(2)"},
      {"Relation#delete", "user(1).liked_tweets.delete(tweet(2))"},
      {"Relation#delete_all", "Heart.where(user_id: 1).delete_all"},
      {"Relation#find_each", "User.find_each { |u| puts u.username }"},
      {"Relation#to_sql", "User.where(id: 1).to_sql"},
      {"Relation#or", "Message.where(sender: user(1)).or(Message.where(receiver: user(1)))"},
      {"Relation#joins", "Heart.joins(:tweet).where(tweets: { user_id: 2 }).count"},
      {"Relation#left_joins", "User.left_joins(:tweets).where(tweets: { id: nil }).pluck(:id)"},
      {"Relation#includes", "Tweet.includes(:user).map { |t| t.user.username }"},
      {"Relation#select", "User.where(id: Follow.select(:follower_id)).count"},
      {"Relation#group", "Heart.group(:tweet_id).count"},
      {"Relation#sum", "Heart.where(user_id: 1).sum(:tweet_id)"},
      {"Relation#average", "Heart.average(:tweet_id)"},
      {"Relation#minimum", "Tweet.minimum(:id)"},
      {"Relation#maximum", "Tweet.maximum(:id)"},
      {"Relation#update_all", "user(2).tweets.update_all(content: \"edited\")"},
      {"Relation#find_or_create_by", "User.find_or_create_by(username: \"ann\")"},
      {"Relation#find_or_create_by!", "User.find_or_create_by!(username: \"ann\")"},
      {"Relation#find_or_initialize_by", "User.find_or_initialize_by(username: \"zoe\")"},
      {"Relation#find_in_batches", "User.find_in_batches(batch_size: 2) { |batch| puts batch.size }"},
      {"WhereChain#not", "Tweet.where.not(user_id: 1).count"},
      {"Record#touch", "user(1).touch"},
      {"Record#update", "user(3).update(username: \"kat\")"},
      {"Record#save", "u = user(1); u.username = \"annie\"; u.save"},
      {"Record#destroy", "tweet(4).destroy"},
      {"Record#errors", "User.new.tap(&:valid?).errors.full_messages"},
      {"Record#valid?", "User.new.valid?"},
      {"Errors#include?", "User.new.tap(&:valid?).errors.include?(:username)"},
      {"Record#[]", "user(1)[:username]"},
  };
}

// Ruby's and ActiveSupport's methods, and main's functions.
Examples ruby_examples() {
  return {
      {"Enumerable#map", "User.all.map(&:username)"},
      {"Enumerable#each", "user(1).tweets.each { |t| puts t.content }"},
      {"Enumerable#select", "[1, 2, 3, 4].select(&:even?)"},
      {"Enumerable#reject", "[1, 2, 3, 4].reject(&:even?)"},
      {"Enumerable#detect", "User.all.detect { |u| u.username == \"bob\" }"},
      {"Enumerable#sort_by", "User.all.sort_by(&:username).map(&:id)"},
      {"Enumerable#group_by", "Tweet.all.group_by(&:user_id)"},
      {"Enumerable#count", "[1, 2, 3].count(&:odd?)"},
      {"Enumerable#first", "[3, 1, 2].first(2)"},
      {"Enumerable#include?", "[1, 2].include?(2)"},
      {"Enumerable#inject", "[3, 1, 2].inject(:+)"},
      {"Enumerable#to_h", "[[:a, 1], [:b, 2]].to_h"},
      {"Array#join", "User.pluck(:username).join(\", \")"},
      {"Array#delete", "[1, 2, 3].delete(2)"},
      {"Hash#each", "{a: 1, b: 2}.each { |k, v| puts \"#{k}=#{v}\" }"},
      {"Hash#each_key", "{a: 1, b: 2}.each_key { |k| puts k }"},
      {"Hash#each_value", "{a: 1, b: 2}.each_value { |v| puts v }"},
      {"Hash#select", "{a: 1, b: 2}.select { |k, v| v > 1 }"},
      {"Hash#delete", "{a: 1, b: 2}.delete(:a)"},
      {"Range#first", "(1..5).first(2)"},
      {"Range#include?", "(1..5).include?(3)"},
      {"Integer#times", "3.times { |i| puts i }"},
      {"String#split", "\"a b c\".split"},
      {"String#include?", "\"fwitter\".include?(\"twit\")"},
      {"String#count", "\"hello\".count(\"l\")"},
      {"DateAndTime#strftime", "user(1).created_at.strftime(\"%d %b %Y, %H:%M\")"},
      {"DateAndTime#+", "user(1).created_at + 3600"},
      {"Date#next_day", "user(1).created_at.to_date.next_day(7)"},
      {"Time class#parse", "Time.parse(\"2017-05-24 10:20\")"},
      {"Date class#parse", "Date.parse(\"2017-05-24\")"},
      {"BigDecimal#round", "\"12.345\".to_d.round(2)"},
      {"Proc#call", "lambda { |x| x * 2 }.call(21)"},
      {"main#puts", "puts \"hello\""},
      {"main#p", "p user(1).username"},
      {"main#lambda", "double = lambda { |x| x * 2 }"},
      {"main#proc", "answer = proc { 42 }"},
      {"main#loop", "i = 0; loop do i += 1; break if i > 2 end"},
      {"main#raise", "raise(\"boom\") rescue \"rescued\""},
      {"main#catch", "catch(:found) { [1, 2, 3].each { |x| throw :found, x if x > 1 }; nil }"},
      {"Enumerable#chunk_while", "[1, 2, 4, 5, 7].chunk_while { |a, b| b == a + 1 }"},
      {"Enumerable#slice_when", "[1, 2, 4, 5, 7].slice_when { |a, b| b != a + 1 }"},
      {"Array#bsearch", "[2, 6, 10].bsearch { |x| x >= 5 }"},
      {"Array#transpose", "[[1, 2], [3, 4]].transpose"},
      {"Array#cycle", "[9, 7].cycle.first(5)"},
      {"Enumerator#take_while", "[1, 2, 3].cycle.take_while { |x| x < 3 }"},
      {"Enumerator#find", "[1, 2, 3].cycle.find { |x| x > 1 }"},
      {"Integer#step", "1.step(10, 3).to_a"},
      {"Duration#ago", "Tweet.where(created_at: 1.hour.ago..).count"},
      {"Class#new", "counts = Hash.new(0); %w[a b a].each { |w| counts[w] += 1 }; counts"},
  };
}

// Examples of the methods people look up first, by KIND#name; other
// methods get one made from a sample receiver of their kind when they take
// no arguments.
const Examples& curated() {
  static const Examples examples = [] {
    Examples all = record_examples();
    all.merge(ruby_examples());  // no key is in both
    return all;
  }();
  return examples;
}

// A value of each kind to call an argument-less method on.
const char* sample(lang::Kind kind) {
  using lang::Kind;
  switch (kind) {
    case Kind::Model: return "User";
    case Kind::Relation: return "user(1).tweets";
    case Kind::WhereChain: return "Tweet.where";
    case Kind::Record: return "user(1)";
    case Kind::Errors: return "User.new.tap(&:valid?).errors";
    case Kind::Integer: return "42";
    case Kind::Float: return "2.5";
    case Kind::Decimal: return "\"12.5\".to_d";
    case Kind::Numeric: return "7";
    case Kind::String: return "\"Hello World\"";
    case Kind::Symbol: return ":username";
    case Kind::Regexp: return "/ann/";
    case Kind::Array: case Kind::Enumerable: return "[3, 1, 2]";
    case Kind::Hash: return "{a: 1, b: 2}";
    case Kind::Range: return "(1..5)";
    case Kind::Time: case Kind::DateAndTime: return "user(1).created_at";
    case Kind::Date: return "user(1).created_at.to_date";
    case Kind::TimeClass: return "Time";
    case Kind::DateClass: return "Date";
    case Kind::Class: return "Integer";
    case Kind::Exception: return "(begin; Tweet.create!; rescue => e; e; end)";
    case Kind::Duration: return "2.days";
    case Kind::Enumerator: return "[1, 2].cycle";
    case Kind::Nil: return "nil";
    case Kind::Boolean: return "true";
    case Kind::Proc: return "lambda { |x| x * 2 }";
    case Kind::MatchData: return "\"fwitter\".match(/f(w)/)";
    case Kind::SecureRandom: return "SecureRandom";
    case Kind::Digest: return "Digest::SHA256";
    case Kind::PasswordClass: return "BCrypt::Password";
    case Kind::BcryptEngine: return "BCrypt::Engine";
    case Kind::SecurePassword: return "ActiveModel::SecurePassword";
    case Kind::Password: return "BCrypt::Password.create(\"secret\", cost: 4)";
    case Kind::Object: return "user(1)";
    case Kind::Main: return "";
  }
  return "";
}

std::string arity(const lang::Method& m) {
  if (m.max_args == lang::kAnyNumber) return fmt::format("{} or more arguments", m.min_args);
  if (m.min_args == m.max_args) return fmt::format("{} argument{}", m.min_args, m.min_args == 1 ? "" : "s");
  return fmt::format("{} to {} arguments", m.min_args, m.max_args);
}

std::string overview() {
  std::string out = "fwitter: type a statement (Ruby-shaped, ActiveRecord's methods), or a command.\n\nTopics (help TOPIC):\n";
  for (const auto& t : help_topics()) out += fmt::format("  {:<14} {}\n", t.name, t.title);
  out += "\nCommands:\n";
  for (const auto& c : commands()) out += fmt::format("  {:<32} {}\n", c.usage, c.summary);
  out += "\nhelp METHOD (help where, help map) explains a method. Tab completes names: after a dot,\n"
         "what that value answers to. Up and Down walk the history, Ctrl-R searches it.\n";
  return out;
}

std::string topic_text(const HelpTopic& t) {
  std::string out = std::string(t.name) + ": " + t.title + "\n\n" + t.text + "\n\nExamples:\n";
  for (const auto& e : t.examples) {
    std::string statement = e.statement;
    for (size_t at = 0; (at = statement.find('\n', at)) != std::string::npos; at += 3) statement.replace(at, 1, "\n  ");
    std::string comment = e.comment;
    if (e.app) comment += std::string(comment.empty() ? "" : " ") + "(fwitter --app db/examples/" + e.app + ")";
    out += "  " + statement + (comment.empty() ? "" : "    # " + comment) + "\n";
  }
  return out;
}

const char* returns_name(lang::Returns r) {
  using lang::Returns;
  switch (r) {
    case Returns::Any: return "any value";
    case Returns::Nil: return "nil";
    case Returns::Boolean: return "true or false";
    case Returns::Integer: return "an Integer";
    case Returns::Float: return "a Float";
    case Returns::String: return "a String";
    case Returns::Symbol: return "a Symbol";
    case Returns::Array: return "an Array";
    case Returns::Hash: return "a Hash";
    case Returns::Range: return "a Range";
    case Returns::Record: return "a record";
    case Returns::Relation: return "a relation";
    case Returns::Model: return "a model class";
    case Returns::Errors: return "errors";
    case Returns::Self: return "the receiver";
    case Returns::Proc: return "a Proc";
  }
  return "a value";
}

// Each table entry of that name: "Relation#where: summary", its arity,
// what it returns, its aliases and an example.
std::string method_text(const std::vector<std::pair<lang::Kind, const lang::Method*>>& found) {
  std::string out;
  for (const auto& [kind, m] : found) {
    out += fmt::format("{}#{}: {}\n  takes {}; returns {}", lang::kind_name(kind), m->name, m->summary, arity(*m),
                       returns_name(m->returns));
    if (*m->aliases) out += fmt::format("; also called {}", m->aliases);
    out += "\n";
    std::string example = method_example(lang::kind_name(kind), m->name);
    if (!example.empty()) out += "  Example: " + example + "\n";
  }
  return out;
}

}  // namespace

std::string method_example(const std::string& kind_name, const std::string& name) {
  if (auto it = curated().find(kind_name + "#" + name); it != curated().end()) return it->second;
  for (int k = 0; k <= static_cast<int>(lang::Kind::Main); ++k) {
    auto kind = static_cast<lang::Kind>(k);
    if (kind_name != lang::kind_name(kind)) continue;
    const auto* m = lang::find_method(kind, name);
    // Operators (==, <<) read better written out than as a method call.
    if (!m || m->min_args > 0 || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return "";
    if (kind == lang::Kind::Main) return name;
    return std::string(sample(kind)) + "." + name;
  }
  return "";
}

std::string help_text(const std::string& topic) {
  if (topic.empty()) return overview();
  std::string key = topic;
  std::replace(key.begin(), key.end(), ' ', '_');
  for (const auto& t : help_topics())
    if (key == t.name) return topic_text(t);
  if (const Command* c = find_command(topic)) return fmt::format("{}: {}\n", c->usage, c->summary);
  auto found = lang::methods_named(topic);
  if (!found.empty()) return method_text(found);
  std::vector<std::string> known = help_topic_names();
  for (const auto& c : commands()) known.push_back(c.name);
  for (int k = 0; k <= static_cast<int>(lang::Kind::Main); ++k)
    for (const auto& m : lang::methods_of(static_cast<lang::Kind>(k))) known.push_back(m.name);
  throw fw::Error(fmt::format("no help for '{}' (`help` lists the topics).{}", topic, suggestion_suffix(topic, known)));
}

}  // namespace fw::console
