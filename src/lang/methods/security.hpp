#pragma once
// The constants of SecureRandom's, Digest's and BCrypt's neighbours that are
// values, not classes: BCrypt::Engine::MIN_COST and the rest.
namespace fw::lang {

class Interpreter;

// Defines them in `in`; `password_cost` is the bcrypt cost the app's
// environment gives has_secure_password (the least, 4, in the test
// environment, as Rails sets ActiveModel::SecurePassword.min_cost there).
void define_security_constants(Interpreter& in, int password_cost);

}  // namespace fw::lang
