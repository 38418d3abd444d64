#pragma once
// What the browser loads, all of it built into the binary (a classroom
// without internet shows the view): one HTML page for every address, its
// script, which reads the address's JSON twin and builds the page from it
// with text nodes only (a value from the database is never markup), and its
// style sheet, with the projector's large, high-contrast, colour-blind-safe one.
#include <string>

namespace fw::web {

const std::string& page_html();
const std::string& app_js();
const std::string& app_css();

}  // namespace fw::web
