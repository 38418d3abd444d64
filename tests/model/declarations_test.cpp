// Declarations: every macro and option, the naming conventions, and the
// errors a declaration that cannot work raises when the app loads.
#include <optional>

#include "base/text.hpp"
#include "fixtures.hpp"
#include "model/declaration_verbs.hpp"

using namespace fixtures;

namespace {

const char* const kPeopleSchema =
    "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar,"
    " created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);"
    "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, title varchar, price integer,"
    " created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);"
    "CREATE TABLE user_items (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " person_id integer NOT NULL REFERENCES people (id), item_id integer NOT NULL REFERENCES items (id),"
    " created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);"
    "CREATE TABLE profiles (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, owner_id integer, bio text,"
    " created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);"
    "CREATE TABLE legacy_posts (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, writer_id integer, body text,"
    " created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);";

}  // namespace

TEST_CASE("the fwitter declarations load with every default and option worked out") {
  Fwitter f;
  CHECK(f.app.model_names() == std::vector<std::string>{"User", "Tweet", "Message", "Follow", "Heart"});
  CHECK(f.model("User").table == "users");
  CHECK(f.model("Heart").table == "hearts");
  CHECK(f.model("User").column_names() ==
        std::vector<std::string>{"id", "username", "email", "created_at", "updated_at"});
  CHECK(f.model("User").primary_key == "id");

  const Reflection& tweets = f.reflection("User", "tweets");
  CHECK(tweets.macro == Macro::HasMany);
  CHECK(tweets.class_name == "Tweet");
  CHECK(tweets.klass == &f.model("Tweet"));
  CHECK(tweets.foreign_key == "user_id");
  CHECK(tweets.primary_key == "id");
  CHECK(tweets.dependent == Dependent::Destroy);
  CHECK_FALSE(tweets.is_through());

  const Reflection& sent = f.reflection("User", "sent_messages");
  CHECK(sent.class_name == "Message");
  CHECK(sent.foreign_key == "sender_id");
  CHECK(f.reflection("User", "received_messages").foreign_key == "receiver_id");

  const Reflection& liked = f.reflection("User", "liked_tweets");
  CHECK(liked.is_through());
  CHECK(liked.through == "hearts");
  CHECK(liked.source == "tweet");
  CHECK(liked.klass == &f.model("Tweet"));
  CHECK(liked.class_name == "Tweet");
  CHECK(liked.through_reflection == &f.reflection("User", "hearts"));
  CHECK(liked.source_reflection == &f.reflection("Heart", "tweet"));
  CHECK(liked.dependent == Dependent::None);

  const Reflection& followers = f.reflection("User", "followers");
  CHECK(followers.klass == &f.model("User"));
  CHECK(followers.source_reflection == &f.reflection("Follow", "follower"));

  // belongs_to :sender, class_name: "User" -> sender_id
  const Reflection& sender = f.reflection("Message", "sender");
  CHECK(sender.is_belongs_to());
  CHECK(sender.class_name == "User");
  CHECK(sender.klass == &f.model("User"));
  CHECK(sender.foreign_key == "sender_id");
  CHECK_FALSE(sender.optional);
  CHECK(f.reflection("Tweet", "user").foreign_key == "user_id");

  // delegate :username, to: :user
  const Delegation* d = f.model("Tweet").delegation("username");
  REQUIRE(d != nullptr);
  CHECK(d->to == "user");
  CHECK_FALSE(d->allow_nil);
  CHECK(f.model("Tweet").delegation("email") == nullptr);

  // One Required validator per non-optional belongs_to, in declaration order.
  const auto& validators = f.model("Message").validators;
  REQUIRE(validators.size() == 3);
  CHECK(validators[0].kind->name == "required");
  CHECK(validators[0].attribute == "sender");
  CHECK(validators[1].attribute == "receiver");
  CHECK(validators[2].kind->name == "presence");
  CHECK(validators[2].attribute == "content");
}

TEST_CASE("association paths: a through association is its hops in order") {
  Fwitter f;
  auto path = association_path(f.reflection("User", "followers"));
  REQUIRE(path.size() == 2);
  CHECK(path[0].from_table == "users");
  CHECK(path[0].from_key == "id");
  CHECK(path[0].to_table == "follows");
  CHECK(path[0].to_key == "followed_id");
  CHECK(path[1].from_table == "follows");
  CHECK(path[1].from_key == "follower_id");
  CHECK(path[1].to_table == "users");
  CHECK(path[1].to_key == "id");
}

TEST_CASE("naming conventions: Person -> people, UserItem -> user_items, explicit options win") {
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("Person")
                      .has_many("user_items")
                      .has_many("items", {{"through", sym("user_items")}})
                      .has_one("profile", {{"foreign_key", str("owner_id")}, {"dependent", sym("destroy")}})
                      .has_one("legacy_post", {{"class_name", str("Post")}, {"foreign_key", str("writer_id")}}));
  decls.push_back(ModelDecl("Item").has_many("user_items").has_many("people", {{"through", sym("user_items")}}));
  decls.push_back(ModelDecl("UserItem").belongs_to("person").belongs_to("item"));
  decls.push_back(ModelDecl("Profile").belongs_to("owner", {{"class_name", str("Person")}, {"optional", yes()}}));
  decls.push_back(ModelDecl("Post")
                      .set_table_name("legacy_posts")
                      .belongs_to("author", {{"class_name", str("Person")}, {"foreign_key", str("writer_id")},
                                             {"optional", yes()}}));
  TestApp a(kPeopleSchema, std::move(decls));

  CHECK(a.model("Person").table == "people");
  CHECK(a.model("UserItem").table == "user_items");
  CHECK(a.model("Post").table == "legacy_posts");  // self.table_name wins
  CHECK(a.app.find_by_singular("user_item") == &a.model("UserItem"));
  CHECK(a.app.find_by_singular("person") == &a.model("Person"));

  // has_many :user_items on Person -> UserItem, person_id
  const Reflection& ui = a.reflection("Person", "user_items");
  CHECK(ui.class_name == "UserItem");
  CHECK(ui.foreign_key == "person_id");
  // through without source: the singular of the name on the join model
  const Reflection& items = a.reflection("Person", "items");
  CHECK(items.source_reflection == &a.reflection("UserItem", "item"));
  CHECK(items.klass == &a.model("Item"));
  CHECK(a.reflection("Item", "people").klass == &a.model("Person"));
  // has_one with foreign_key and dependent
  const Reflection& profile = a.reflection("Person", "profile");
  CHECK(profile.macro == Macro::HasOne);
  CHECK_FALSE(profile.is_collection());
  CHECK(profile.class_name == "Profile");
  CHECK(profile.foreign_key == "owner_id");
  CHECK(profile.dependent == Dependent::Destroy);
  // has_one with class_name
  CHECK(a.reflection("Person", "legacy_post").klass == &a.model("Post"));
  CHECK(a.reflection("Person", "legacy_post").foreign_key == "writer_id");
  // belongs_to :owner, class_name: "Person" -> owner_id (from the name, not the class)
  CHECK(a.reflection("Profile", "owner").foreign_key == "owner_id");
  CHECK(a.reflection("Profile", "owner").optional);
  // explicit foreign_key wins over author_id
  CHECK(a.reflection("Post", "author").foreign_key == "writer_id");
  // optional: true adds no "must exist" validator
  CHECK(a.model("Profile").validators.empty());
  CHECK(a.model("UserItem").validators.size() == 2);

  // the conventions work end to end
  auto person = a.create("Person", {{"name", Value("Ann")}});
  auto item = a.create("Item", {{"title", Value("Lamp")}});
  a.store.associations().add(a.assoc(person, "items"), item);
  CHECK(a.rows("user_items") == 1);
  CHECK(a.ids(a.assoc(item, "people")) == std::vector<std::int64_t>{id_of(person)});
  auto post = a.create("Post", {{"author", person}, {"body", Value("hi")}});
  CHECK(a.rows("legacy_posts") == 1);
  CHECK(id_of(a.target(person, "legacy_post")) == id_of(post));
  CHECK(a.target(person, "profile") == nullptr);
  auto p = a.create("Profile", {{"owner", person}, {"bio", Value("me")}});
  CHECK(a.target(person, "profile") == nullptr);  // the loaded (absent) target is cached, as ActiveRecord keeps it
  a.store.persistence().reload(*person);
  CHECK(id_of(a.target(person, "profile")) == id_of(p));
  CHECK(id_of(a.target(p, "owner")) == id_of(person));
}

TEST_CASE("has_one :through and a through whose source is itself a through") {
  std::vector<ModelDecl> decls = fwitter_models();
  // User: the tweets of the users they follow (through a through), the hearts on
  // their tweets (through a has_many), and the users who hearted them (through a through).
  decls[0]
      .has_many("followed_tweets", {{"through", sym("following")}, {"source", sym("tweets")}})
      .has_many("tweet_hearts", {{"through", sym("tweets")}, {"source", sym("hearts")}})
      .has_many("fans", {{"through", sym("tweet_hearts")}, {"source", sym("user")}});
  decls[2].has_one("sender_first_tweet", {{"through", sym("sender")}, {"source", sym("tweets")}});
  TestApp a(fwitter_schema(), std::move(decls));

  const Reflection& ft = a.reflection("User", "followed_tweets");
  CHECK(ft.klass == &a.model("Tweet"));
  CHECK(ft.through_reflection == &a.reflection("User", "following"));
  CHECK(ft.through_reflection->is_through());
  auto path = association_path(ft);
  REQUIRE(path.size() == 3);
  CHECK(path[0].to_table == "follows");
  CHECK(path[0].to_key == "follower_id");
  CHECK(path[1].to_table == "users");
  CHECK(path[2].to_table == "tweets");
  CHECK(path[2].to_key == "user_id");
  CHECK(association_path(a.reflection("User", "fans")).size() == 3);

  auto ann = a.create("User", {{"username", Value("ann")}, {"email", Value("ann@x.io")}});
  auto bob = a.create("User", {{"username", Value("bob")}, {"email", Value("bob@x.io")}});
  auto cy = a.create("User", {{"username", Value("cy")}, {"email", Value("cy@x.io")}});
  auto b1 = a.create("Tweet", {{"user", bob}, {"content", Value("b1")}});
  auto b2 = a.create("Tweet", {{"user", bob}, {"content", Value("b2")}});
  auto c1 = a.create("Tweet", {{"user", cy}, {"content", Value("c1")}});
  a.create("Tweet", {{"user", ann}, {"content", Value("a1")}});
  a.create("Follow", {{"follower", ann}, {"followed", bob}});
  a.create("Follow", {{"follower", ann}, {"followed", cy}});
  a.create("Follow", {{"follower", bob}, {"followed", cy}});
  CHECK(a.ids(a.assoc(ann, "followed_tweets").order("id", false)) ==
        std::vector<std::int64_t>{id_of(b1), id_of(b2), id_of(c1)});
  CHECK(a.ids(a.assoc(bob, "followed_tweets")) == std::vector<std::int64_t>{id_of(c1)});
  CHECK(a.count(a.assoc(cy, "followed_tweets")) == 0);
  auto sql = a.assoc(ann, "followed_tweets").select("\"tweets\".*", "").sql;
  CHECK(sql.find("INNER JOIN \"users\"") != std::string::npos);
  CHECK(sql.find("INNER JOIN \"follows\"") != std::string::npos);

  // fans: users who hearted bob's tweets, once per heart
  a.create("Heart", {{"user", ann}, {"tweet", b1}});
  a.create("Heart", {{"user", ann}, {"tweet", b2}});
  a.create("Heart", {{"user", cy}, {"tweet", b2}});
  CHECK(a.ids(a.assoc(bob, "fans").order("id", false)) ==
        std::vector<std::int64_t>{id_of(ann), id_of(ann), id_of(cy)});
  CHECK(a.count(a.assoc(bob, "tweet_hearts")) == 3);

  // has_one :through a belongs_to
  auto m = a.create("Message", {{"sender", bob}, {"receiver", ann}, {"content", Value("yo")}});
  auto first = a.target(m, "sender_first_tweet");
  REQUIRE(first != nullptr);
  CHECK(first->model().name == "Tweet");
  CHECK(text(first, "user_id") == std::to_string(id_of(bob)));
}

TEST_CASE("has_and_belongs_to_many: join table from the two table names, or join_table:") {
  const std::string schema =
      table_sql("songs", "  title varchar") + table_sql("genres", "  name varchar") +
      "CREATE TABLE genres_songs (genre_id integer NOT NULL, song_id integer NOT NULL);"
      "CREATE TABLE song_tags (song_id integer NOT NULL, genre_id integer NOT NULL);";
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("Song").has_and_belongs_to_many("genres").has_and_belongs_to_many(
      "tags", {{"class_name", str("Genre")}, {"join_table", str("song_tags")}}));
  decls.push_back(ModelDecl("Genre").has_and_belongs_to_many("songs"));
  TestApp a(schema, std::move(decls));
  const Reflection& genres = a.reflection("Song", "genres");
  CHECK(genres.is_collection());
  CHECK(genres.join_table == "genres_songs");
  CHECK(genres.foreign_key == "song_id");
  CHECK(genres.association_foreign_key == "genre_id");
  CHECK(a.reflection("Genre", "songs").join_table == "genres_songs");
  CHECK(a.reflection("Genre", "songs").foreign_key == "genre_id");
  CHECK(a.reflection("Song", "tags").join_table == "song_tags");
  CHECK(a.reflection("Song", "tags").klass == &a.model("Genre"));
  CHECK(association_path(genres).size() == 2);
}

// ---- Declarations that cannot work ----

TEST_CASE("an unknown class names the association and suggests the close name") {
  std::string schema = fwitter_schema();
  CHECK(load_error(schema, {ModelDecl("User"), ModelDecl("Tweet").belongs_to("user", {{"class_name", str("Usr")}})}) ==
        "Tweet belongs_to :user: no model named Usr. Did you mean? User");
  CHECK(load_error(schema, {ModelDecl("User").has_many("tweetz"), ModelDecl("Tweet").belongs_to("user")}) ==
        "User has_many :tweetz: no model named Tweetz. Did you mean? Tweet (add class_name: if the association's "
        "name is not the model's)");
  CHECK(load_error(schema, {ModelDecl("User"), ModelDecl("Tweet").belongs_to("author")}) ==
        "Tweet belongs_to :author: no model named Author. (add class_name: if the association's name is not the "
        "model's)");
}

TEST_CASE("a missing foreign key column names table and column, with the fix") {
  std::string schema = fwitter_schema();
  CHECK(load_error(schema, {ModelDecl("User"), ModelDecl("Tweet").belongs_to("author", {{"class_name", str("User")}})}) ==
        "Tweet belongs_to :author: table tweets has no column author_id; add it in a migration, or name the column "
        "with foreign_key:");
  // has_many :sent_messages, class_name: "Message" looks for user_id on messages
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("User").has_many("sent_messages", {{"class_name", str("Message")}}));
  decls.push_back(ModelDecl("Message"));
  std::string e = load_error(schema, std::move(decls));
  CHECK(e.find("User has_many :sent_messages: table messages has no column user_id;") == 0);
  CHECK(e.find("foreign_key:") != std::string::npos);
  // a near miss is suggested
  std::vector<ModelDecl> near;
  near.push_back(ModelDecl("User").has_many("sent", {{"class_name", str("Message")}, {"foreign_key", str("sendr_id")}}));
  near.push_back(ModelDecl("Message"));
  CHECK(load_error(schema, std::move(near)) ==
        "User has_many :sent: table messages has no column sendr_id; did you mean foreign_key: \"sender_id\"?");
}

TEST_CASE("through: naming no association, and a source that is not there") {
  std::string schema = fwitter_schema();
  auto decls = fwitter_models();
  decls[0].has_many("loved", {{"through", sym("heart")}, {"source", sym("tweet")}});
  CHECK(load_error(schema, decls) ==
        "User has_many :loved: through: :heart names no association of User. Did you mean? hearts");
  // the join association not declared at all: say what to add
  decls = fwitter_models();
  decls[0].has_many("fans_of", {{"through", sym("likes")}, {"source", sym("tweet")}});
  CHECK(load_error(schema, decls) ==
        "User has_many :fans_of: through: :likes names no association of User. Declare the join association as "
        "well, before this line: has_many :likes");
  decls = fwitter_models();
  decls[0].has_many("loved", {{"through", sym("hearts")}, {"source", sym("twet")}});
  CHECK(load_error(schema, decls) ==
        "User has_many :loved: Heart has no association :twet. Did you mean? tweet; name the one to follow with "
        "source: (one of :user, :tweet)");
  decls = fwitter_models();
  decls[0].has_many("loved", {{"through", sym("hearts")}});  // tries :loved and :loved
  std::string e = load_error(schema, decls);
  CHECK(e.find("User has_many :loved: Heart has no association :loved") == 0);
  CHECK(e.find("source:") != std::string::npos);
}

TEST_CASE("belongs_to with a plural name") {
  CHECK(load_error(fwitter_schema(), {ModelDecl("User"), ModelDecl("Tweet").belongs_to("users")}) ==
        "Tweet belongs_to :users: belongs_to takes a singular name: belongs_to :user");
}

TEST_CASE("a misspelled option or dependent value suggests the right one") {
  std::string schema = fwitter_schema();
  CHECK(load_error(schema, {ModelDecl("User").has_many("tweets", {{"depedent", sym("destroy")}}),
                            ModelDecl("Tweet").belongs_to("user")}) ==
        "User has_many :tweets: unknown option :depedent. Did you mean? dependent");
  CHECK(load_error(schema, {ModelDecl("User").has_many("tweets", {{"dependent", sym("destory")}}),
                            ModelDecl("Tweet").belongs_to("user")}) ==
        "User has_many :tweets: dependent: :destory is not one of :destroy, :delete_all, :nullify, "
        ":restrict_with_error, :restrict_with_exception. Did you mean? destroy");
  CHECK(load_error(schema, {ModelDecl("User"), ModelDecl("Tweet").belongs_to("user", {{"optinal", yes()}})}) ==
        "Tweet belongs_to :user: unknown option :optinal. Did you mean? optional");
}

TEST_CASE("an unknown validation kind suggests the close one") {
  std::string schema = fwitter_schema();
  storage::Database db(":memory:");
  db.exec_script(schema);
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("User").validates({"username"}, {{"presense", yes()}}));
  try {
    App::load(std::move(decls), db);
    FAIL("loaded");
  } catch (const DeclarationError& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0] == "User validates :username: unknown validation presense:. Did you mean? presence");
    CHECK(e.problems()[1] == "User validates :username: says nothing to check; add presence: true, length: {...}, ...");
  }
  std::string e = load_error(schema, {ModelDecl("User").validates({"username"}, {{"lenght", hash({{"maximum", num(3)}})}})});
  CHECK(e.find("unknown validation lenght:. Did you mean? length") != std::string::npos);
  e = load_error(schema, {ModelDecl("User").validates({"usrname"}, {{"presence", yes()}})});
  CHECK(e == "User validates :usrname: User has no column or association usrname. Did you mean? username");
}

TEST_CASE("errors carry file, line and column, and every problem is listed") {
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("User", {"db/models.fw", {1, 1}})
                      .has_many("tweets", {{"depedent", sym("destroy")}}, {"db/models.fw", {2, 3}}));
  decls.push_back(ModelDecl("Tweet", {"db/models.fw", {5, 1}}).belongs_to("users", {}, {"db/models.fw", {6, 3}}));
  storage::Database db(":memory:");
  db.exec_script(fwitter_schema());
  try {
    App::load(std::move(decls), db);
    FAIL("loaded");
  } catch (const DeclarationError& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0] == "db/models.fw:2:3: error: User has_many :tweets: unknown option :depedent. Did you mean? dependent");
    CHECK(e.problems()[1] == "db/models.fw:6:3: error: Tweet belongs_to :users: belongs_to takes a singular name: belongs_to :user");
    CHECK(std::string(e.what()) == e.problems()[0] + "\n" + e.problems()[1]);
  }
}

TEST_CASE("a model without a table, and self.table_name naming none") {
  CHECK(load_error(fwitter_schema(), {ModelDecl("Person")}) ==
        "Person: the database has no table people; add a migration that creates it, or set self.table_name");
  CHECK(load_error(fwitter_schema(), {ModelDecl("Person").set_table_name("user")}) ==
        "Person: the database has no table user. Did you mean? users");
}

TEST_CASE("nothing half-loaded: one bad declaration among good ones and no App comes back") {
  auto decls = fwitter_models();
  decls[3].belongs_to("followed_user", {{"class_name", str("Usr")}});
  storage::Database db(":memory:");
  db.exec_script(fwitter_schema());
  std::optional<App> app;
  CHECK_THROWS_AS(app.emplace(App::load(std::move(decls), db)), DeclarationError);
  CHECK_FALSE(app.has_value());
  // the database is untouched and the good declarations still load on it
  App good = App::load(fwitter_models(), db);
  CHECK(good.models().size() == 5);
}

TEST_CASE("the verbs of a class body: each named once, the models file's listed in order") {
  CHECK(join(declaration_names(), ", ") ==
        "belongs_to, has_many, has_one, has_and_belongs_to_many, validates, delegate, scope, self.table_name =, "
        "before_validation, after_validation, before_save, after_save, before_create, after_create, before_update, "
        "after_update, before_destroy, after_destroy, after_commit, after_create_commit, after_update_commit, "
        "after_destroy_commit, after_save_commit, after_rollback, after_initialize, after_find, def");
  CHECK(std::string(macro_name(Macro::HasAndBelongsToMany)) == "has_and_belongs_to_many");
  CHECK(std::string(callback_name(CallbackKind::AfterSaveCommit)) == "after_save_commit");
  const DeclarationVerb* before_save = find_declaration_verb("before_save", false);
  REQUIRE(before_save != nullptr);
  CHECK((before_save->kind == VerbKind::Callback && before_save->callback == CallbackKind::BeforeSave));
  CHECK(find_declaration_verb("has_secure_password", false) == nullptr);  // an ActiveRecord app's Ruby only
  REQUIRE(find_declaration_verb("has_secure_password", true) != nullptr);
  CHECK(find_declaration_verb("require_relative", true)->kind == VerbKind::Require);
}
