// SecureRandom, Digest::SHA1/SHA256/MD5 and BCrypt (BCrypt::Password,
// BCrypt::Engine), with ActiveModel::SecurePassword.min_cost: what a model's
// token and digest methods (remember_token, User.digest) call, answering as
// Ruby's securerandom, digest and the bcrypt gem do.
#include "lang/methods/security.hpp"

#include <cmath>

#include "base/digest.hpp"
#include "base/password.hpp"
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

constexpr int kMinCost = 4, kDefaultCost = 12, kMaxCost = 31;  // BCrypt::Engine's
// ActiveModel::SecurePassword.min_cost, kept as a constant no statement can
// name (a constant's name after :: is capitalised).
constexpr const char* kMinCostConstant = "ActiveModel::SecurePassword::min_cost";

// ---- SecureRandom ----

// The byte count argument: 16 when it is missing or nil, as SecureRandom's.
size_t byte_count(Call& c) {
  if (c.args.empty() || c.args[0].is_nil()) return 16;
  auto n = int_arg(c.args[0], c.name.c_str());
  if (n < 0) throw RubyError("ArgumentError", "negative string size (or size too big)");
  if (n > 1 << 20) throw std::bad_alloc();
  return static_cast<size_t>(n);
}

std::string base64(const std::string& bytes, bool urlsafe, bool padding) {
  const char* alphabet = urlsafe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                 : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = 0;
    size_t k = std::min<size_t>(3, bytes.size() - i);
    for (size_t j = 0; j < 3; ++j) n = n << 8 | (j < k ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    for (size_t j = 0; j < 4; ++j) {
      if (j <= k) out += alphabet[(n >> (18 - 6 * j)) & 63];
      else if (padding) out += '=';
    }
  }
  return out;
}

Object random_hex(Call& c) {
  std::string out;
  for (unsigned char b : random_bytes(byte_count(c))) out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
  return Object(out);
}

Object random_base64(Call& c) {
  bool urlsafe = c.name == "urlsafe_base64";
  bool padding = !urlsafe || (c.args.size() > 1 && c.args[1].truthy());
  return Object(base64(random_bytes(byte_count(c)), urlsafe, padding));
}

Object random_uuid(Call&) {
  std::string b = random_bytes(16), out;
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // the RFC 4122 variant
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto x = static_cast<unsigned char>(b[i]);
    out += "0123456789abcdef"[x >> 4], out += "0123456789abcdef"[x & 15];
  }
  return Object(out);
}

Object random_alphanumeric(Call& c) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (size_t i = 0, n = byte_count(c); i < n; ++i) out += alphabet[random_below(62)];
  return Object(out);
}

double random_float() { return static_cast<double>(random_below(1ULL << 53)) / static_cast<double>(1ULL << 53); }

// random_number: a Float in [0, 1); with n, an Integer in [0, n) (a Float for
// a Float n); with a range, one of it.
Object random_number(Call& c) {
  const Object limit = c.args.empty() ? Object() : c.args[0];
  if (auto n = limit.get<std::int64_t>(); n && *n > 0) return Object(static_cast<std::int64_t>(random_below(static_cast<unsigned long long>(*n))));
  if (auto f = limit.get<double>(); f && *f > 0) return Object(random_float() * *f);
  if (auto r = limit.get<Ref<Range>>()) {
    auto first = (*r)->first.get<std::int64_t>(), last = (*r)->last.get<std::int64_t>();
    if (first && last) {
      std::int64_t span = *last - *first + ((*r)->exclusive ? 0 : 1);
      if (span <= 0) return Object();
      return Object(*first + static_cast<std::int64_t>(random_below(static_cast<unsigned long long>(span))));
    }
    throw RubyError("ArgumentError", "invalid argument - " + inspect(limit));
  }
  if (limit.is_nil() || limit.is<std::int64_t>() || limit.is<double>()) return Object(random_float());
  throw RubyError("ArgumentError", "invalid argument - " + inspect(limit));
}

// ---- Digest ----

Object hexdigest(Call& c) {
  auto text = c.args[0].get<std::string>();
  if (!text) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into String");
  const std::string& name = c.self.get<BuiltinClass>()->name();  // Digest::SHA256
  return Object(*hex_digest(std::string_view(name).substr(name.rfind(':') + 1), *text));
}

// ---- BCrypt ----

const std::string& digest_of(Call& c) { return c.self.get<BcryptPassword>()->digest; }

// BCrypt::Password.create(secret, cost: n): a new digest (cost 12 unless
// given; below 4 taken as 4, as the gem does).
Object password_create(Call& c) {
  std::int64_t cost = kDefaultCost;
  if (c.args.size() == 2) {
    const Hash& options = hash_arg(c.args[1], "create");
    if (const Object* given = options.find(Object(Symbol("cost"))); given && !given->is_nil())
      cost = int_arg(*given, "create");
  }
  if (cost > kMaxCost) throw RubyError("ArgumentError", "ArgumentError");
  auto secret = c.args[0].get<std::string>();
  std::string digest = bcrypt_digest(secret ? *secret : to_s(c.args[0]), static_cast<int>(std::max<std::int64_t>(cost, kMinCost)));
  return Object(BcryptPassword{std::move(digest)});
}

// The digest a string or a BCrypt::Password holds, if it is one.
std::optional<std::string> valid_digest(const Object& o) {
  if (auto p = o.get<BcryptPassword>()) return p->digest;
  auto digest = o.get<std::string>();
  if (!digest || !bcrypt_valid_hash(*digest)) return std::nullopt;
  return *digest;
}

Object password_new(Call& c) {
  auto digest = valid_digest(c.args[0]);
  if (!digest) throw RubyError("BCrypt::Errors::InvalidHash", "invalid hash");
  return Object(BcryptPassword{*digest});
}

Object password_valid_hash(Call& c) { return Object(valid_digest(c.args[0]).has_value()); }

Object password_matches(Call& c) { return Object(equal(c.self, c.args[0])); }
Object password_to_s(Call& c) { return Object(digest_of(c)); }
Object password_cost(Call& c) { return Object(static_cast<std::int64_t>(std::stoi(digest_of(c).substr(4, 2)))); }
Object password_part(Call& c) {  // "$2a$12$" + salt (22) + checksum (31)
  const std::string& d = digest_of(c);
  if (c.name == "version") return Object(d.substr(1, 2));
  if (c.name == "salt") return Object(d.substr(0, 29));
  return Object(d.substr(29));
}

Object engine_cost(Call&) { return Object(static_cast<std::int64_t>(kDefaultCost)); }

Object min_cost(Call& c) {
  Node name(Node::Kind::Constant, {}, 0);
  name.name = kMinCostConstant;
  return c.in.evaluate(name);
}

}  // namespace

void define_security_constants(Interpreter& in, int password_cost) {
  in.define_constant("BCrypt::Engine::MIN_COST", Object(static_cast<std::int64_t>(kMinCost)));
  in.define_constant("BCrypt::Engine::DEFAULT_COST", Object(static_cast<std::int64_t>(kDefaultCost)));
  in.define_constant("BCrypt::Engine::MAX_COST", Object(static_cast<std::int64_t>(kMaxCost)));
  in.define_constant(kMinCostConstant, Object(password_cost == kMinCost));
}

const std::vector<Method>& methods::secure_random() {
  static const std::vector<Method> table = {
      {"hex", "", 0, 1, Returns::String, "n random bytes (16) as 2n hex digits", random_hex},
      {"base64", "", 0, 1, Returns::String, "n random bytes (16) in Base64", random_base64},
      {"urlsafe_base64", "", 0, 2, Returns::String, "n random bytes (16) in URL-safe Base64, unpadded", random_base64},
      {"uuid", "", 0, 0, Returns::String, "a random (version 4) UUID", random_uuid},
      {"alphanumeric", "", 0, 1, Returns::String, "n random letters and digits (16)", random_alphanumeric},
      {"random_number", "rand", 0, 1, Returns::Any, "a Float in [0, 1), or a number below n, or one of a range", random_number},
  };
  return table;
}

const std::vector<Method>& methods::digest() {
  static const std::vector<Method> table = {
      {"hexdigest", "", 1, 1, Returns::String, "the string's digest in hex", hexdigest},
  };
  return table;
}

const std::vector<Method>& methods::password_class() {
  static const std::vector<Method> table = {
      {"create", "", 1, 2, Returns::Any, "a new bcrypt digest of the password (cost: 12)", password_create},
      {"new", "", 1, 1, Returns::Any, "a digest read back; BCrypt::Errors::InvalidHash unless it is one", password_new},
      {"valid_hash?", "", 1, 1, Returns::Boolean, "whether the string is a bcrypt digest", password_valid_hash},
  };
  return table;
}

const std::vector<Method>& methods::bcrypt_engine() {
  static const std::vector<Method> table = {
      {"cost", "", 0, 0, Returns::Integer, "the cost new digests get (12)", engine_cost},
  };
  return table;
}

const std::vector<Method>& methods::secure_password() {
  static const std::vector<Method> table = {
      {"min_cost", "", 0, 0, Returns::Boolean, "whether has_secure_password uses the least cost (the test environment)", min_cost},
  };
  return table;
}

const std::vector<Method>& methods::password() {
  static const std::vector<Method> table = {
      {"is_password?", "==", 1, 1, Returns::Boolean, "whether the digest was made from this password", password_matches},
      {"cost", "", 0, 0, Returns::Integer, "the digest's cost", password_cost},
      {"version", "", 0, 0, Returns::String, "the digest's version (2a)", password_part},
      {"salt", "", 0, 0, Returns::String, "the digest's salt, with its version and cost", password_part},
      {"checksum", "", 0, 0, Returns::String, "the digest's hash part", password_part},
      {"to_s", "to_str", 0, 0, Returns::String, "the digest", password_to_s},
  };
  return table;
}

}  // namespace fw::lang
