// acceptance: through the real binary, in a lab whose model declares it: what
// a user sees is what ActiveRecord 6.1 answered for the same model and lines.
#include <doctest/doctest.h>

#include "../support/lab.hpp"
#include "../support/process.hpp"

using fw::test::Lab;

TEST_CASE("A model's acceptance: a virtual attribute, a boolean column, validates_acceptance_of") {
  Lab lab;
  lab.write("db/migrate/005_create_signups.rb",
            "class CreateSignups < ActiveRecord::Migration[6.1]\n"
            "  def change\n"
            "    create_table :signups do |t|\n"
            "      t.string :email\n"
            "      t.boolean :newsletter\n"
            "    end\n"
            "  end\n"
            "end\n");
  lab.write("app/models/signup.rb",
            "class Signup < ActiveRecord::Base\n"
            "  validates :terms, acceptance: true\n"
            "  validates_acceptance_of :newsletter, message: \"must be ticked\", on: :create\n"
            "end\n");
  auto migrate = lab.run({"db", "migrate"});
  REQUIRE_MESSAGE(migrate.status == 0, migrate.err);
  auto r = lab.run({"--format", "json", "--keep-going",
                    "-e", "u = Signup.new(terms: \"0\")", "-e", "u.valid?", "-e", "u.errors.full_messages",
                    "-e", "u.terms",
                    "-e", "Signup.new.valid?",
                    "-e", "Signup.new(terms: \"1\").valid?",
                    "-e", "Signup.new(terms: true, newsletter: \"0\").tap(&:valid?).errors.full_messages",
                    "-e", "Signup.new(terms: 1, newsletter: \"1\").tap(&:valid?).errors.full_messages",
                    "-e", "Signup.create!(terms: \"no\")",
                    "-e", "s = Signup.create!(email: \"a@x\", terms: \"1\", newsletter: \"1\")",
                    "-e", "s.update(newsletter: false)",
                    "-e", "Signup.pluck(:email, :newsletter)"});
  CHECK_MESSAGE(r.status == 1, r.err);  // the create! that fails
  CHECK(r.out ==
        "{\"id\":null,\"email\":null,\"newsletter\":null}\n"
        "false\n"
        "[\"Terms must be accepted\"]\n"
        "\"0\"\n"
        "true\n"
        "true\n"
        "[\"Newsletter must be ticked\"]\n"
        "[\"Terms must be accepted\"]\n"
        "{\"error\":\"Validation failed: Terms must be accepted\"}\n"
        "{\"id\":1,\"email\":\"a@x\",\"newsletter\":true}\n"
        "true\n"
        "[[\"a@x\",false]]\n");
}
