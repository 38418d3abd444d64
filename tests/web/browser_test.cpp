// The browser view in Debian's headless Chromium (chromium-driver's
// WebDriver): a statement typed at the console appears on the open page
// without a reload; a record's page leads to its associations by a click;
// a value from the database is shown as text and runs nothing. Skipped,
// saying why, where Chromium or chromedriver is not installed.
#include <doctest/doctest.h>

#include "../support/browser.hpp"
#include "../support/skip.hpp"
#include "view_support.hpp"

using fw::test::Browser;
using fw::test::ViewedConsole;
using fw::test::wait_until;

namespace {

// Waits until the page has built itself from its JSON.
bool ready(Browser& b) {
  return wait_until([&] { return b.run("return document.body.getAttribute('data-ready');") == "1"; }, 20);
}

bool page_shows(Browser& b, const std::string& css, const std::string& text, double seconds = 10) {
  return wait_until([&] { return b.text(css).find(text) != std::string::npos; }, seconds);
}

}  // namespace

TEST_CASE("a statement typed at the console appears on the open session page, with its rows, without a reload") {
  if (auto missing = fw::test::browser_missing(); !missing.empty()) FW_SKIP(missing);
  ViewedConsole c;
  Browser b(c.dir);
  b.go(c.url("/"));
  REQUIRE(ready(b));
  b.run("window.fwSamePage = 'yes'; return 0;");  // a reload would lose it
  c.type("User.where(username: \"cat\").to_a");
  CHECK(page_shows(b, "#feed", "User.where(username: \"cat\").to_a"));
  CHECK(page_shows(b, "#feed", "cat@example.com"));  // the row, in the console's table
  CHECK(page_shows(b, "#feed", "User Load"));        // its SQL
  c.type("Tweet.find(2).destroy");
  CHECK(page_shows(b, "#feed", "Associations are just SQL joins."));  // the deleted row's before
  CHECK(b.text("#feed").find("delete") != std::string::npos);
  CHECK(b.run("return window.fwSamePage;") == "yes");
  c.terminal.type("exit\n");  // the page still follows: the console leaves all the same
  CHECK(c.terminal.exit_status() == 0);
}

TEST_CASE("a record's page follows an association by a click, and back") {
  if (auto missing = fw::test::browser_missing(); !missing.empty()) FW_SKIP(missing);
  ViewedConsole c;
  Browser b(c.dir);
  b.go(c.url("/User/1"));
  REQUIRE(ready(b));
  CHECK(b.text("h1").find("User 1: ann") != std::string::npos);
  CHECK(b.text("section[data-association=tweets]").find("2 records") != std::string::npos);
  REQUIRE(b.click("section[data-association=tweets] a"));
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/Tweet/1"; }, 10));
  REQUIRE(ready(b));
  CHECK(b.text("h1").find("Hello, fwitter!") != std::string::npos);
  REQUIRE(b.click("section[data-association=user] a"));  // belongs_to: back to ann
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/1"; }, 10));
  REQUIRE(ready(b));
  REQUIRE(b.click("a.next"));  // the next record
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/2"; }, 10));
  b.go(c.url("/Tweet?sort=id&dir=desc"));  // a list: its user_id cells link to the users
  REQUIRE(ready(b));
  REQUIRE(b.click("#rows a.key"));
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/1"; }, 10));  // tweet 5 is ann's
}

TEST_CASE("the keyboard follows links: j to the next link, Enter to follow it, b back, p the previous record") {
  if (auto missing = fw::test::browser_missing(); !missing.empty()) FW_SKIP(missing);
  ViewedConsole c;
  Browser b(c.dir);
  b.go(c.url("/User"));
  REQUIRE(ready(b));
  // j moves from link to link in the page: past the column headings (sort links) to the first row's id
  b.run("const links = [...document.querySelectorAll('main a')]; "
        "links[links.indexOf(document.querySelector('#rows a.row')) - 1].focus(); return 0;");
  b.press("j");
  CHECK(b.run("return document.activeElement.getAttribute('href');") == "/User/1");
  b.press("\uE007");  // Enter
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/1"; }, 10));
  REQUIRE(ready(b));
  b.press("n");
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/2"; }, 10));
  REQUIRE(ready(b));
  b.press("p");
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/1"; }, 10));
  REQUIRE(ready(b));
  b.press("b");
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/User/2"; }, 10));
  REQUIRE(ready(b));
  // P: projector mode, large type and light on dark, kept for the next page
  CHECK(b.run("return getComputedStyle(document.body).fontSize;") == "15px");
  b.press("P");
  CHECK(b.run("return getComputedStyle(document.body).fontSize;") == "26px");
  CHECK(b.run("return getComputedStyle(document.body).backgroundColor;") == "rgb(0, 0, 0)");
  b.press("d");  // the diagram, still in projector mode
  CHECK(wait_until([&] { return b.run("return location.pathname;") == "/diagram"; }, 10));
  REQUIRE(ready(b));
  CHECK(b.run("return document.body.classList.contains('projector');") == true);
  CHECK(b.run("const i = document.querySelector('.diagram img'); return i.complete && i.naturalWidth > 0;") == true);
}

TEST_CASE("a tweet holding markup shows its characters on every page and runs nothing") {
  if (auto missing = fw::test::browser_missing(); !missing.empty()) FW_SKIP(missing);
  ViewedConsole c;
  const std::string script = "<script>window.fwPwned = 1</script>";
  const std::string image = "\"><img src=x onerror=\"window.fwPwned = 2\">";
  c.type("Tweet.create!(user_id: 1, content: '" + script + "')");
  c.type("Tweet.create!(user_id: 1, content: '" + image + "')");
  Browser b(c.dir);
  for (const std::string page : {"/", "/Tweet/6", "/Tweet/7", "/Tweet?sort=id&dir=desc", "/User/1"}) {
    CAPTURE(page);
    b.go(c.url(page));
    REQUIRE(ready(b));
    std::string expected = page == "/Tweet/7" ? image : script;
    CHECK(page_shows(b, "main", expected));
    CHECK(b.run("return document.querySelectorAll('main script, main img').length;") == 0);
    CHECK(b.run("return window.fwPwned === undefined;") == true);
    CHECK_FALSE(b.alert_open());
  }
}

TEST_CASE("an open record page follows begin and rollback: a tweet made inside begin shows without a reload, and goes") {
  if (auto missing = fw::test::browser_missing(); !missing.empty()) FW_SKIP(missing);
  ViewedConsole c;
  Browser b(c.dir);
  b.go(c.url("/User/1"));
  REQUIRE(ready(b));
  CHECK(page_shows(b, "section[data-association=tweets]", "2 records"));
  b.run("window.fwSamePage = 'yes'; return 0;");  // a reload would lose it
  c.type("begin", "fwitter(transaction)> ");
  c.terminal.type("Tweet.create!(user_id: 1, content: \"Typed inside begin\")\n");
  // Drawn again once the statement ends, from the console's own uncommitted rows.
  CHECK(page_shows(b, "section[data-association=tweets]", "3 records"));
  CHECK(page_shows(b, "section[data-association=tweets]", "Typed inside begin"));
  c.terminal.type("rollback\n");
  CHECK(page_shows(b, "section[data-association=tweets]", "2 records"));
  CHECK(b.text("section[data-association=tweets]").find("Typed inside begin") == std::string::npos);
  CHECK(b.run("return window.fwSamePage;") == "yes");
}
