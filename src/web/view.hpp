#pragma once
// The browser view of a session (`web` at the prompt, fwitter --web): an
// HTTP server on 127.0.0.1 (or, shared, on every network behind a token)
// that serves the session live, the records by association, the models' lists
// and the diagram, each page also as JSON. It lives above the console: the
// command line gives the console this starter (Session::set_view_starter).
#include <memory>
#include <string>

#include "console/session.hpp"

namespace fw::web {

// The view's port when none is given, and the next free one after it is taken.
inline constexpr int kDefaultPort = 8765;

// `args`: "" (the default port), "PORT", "share" or "share PORT" (0: any free
// port). Throws fw::Error when it cannot start.
std::unique_ptr<console::SessionView> start_view(console::Session& session, const std::string& args);

}  // namespace fw::web
