// record "file"|off: a transcript of the session from now on, as --echo prints it.
#include "console/commands.hpp"
#include "console/recorder.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_record(Session& s, const std::string& args) {
  Recorder* recorder = s.recorder();
  std::string path = unquoted(args);
  if (path.empty()) {
    s.out() << (recorder ? "Recording to " + recorder->path() + " (record off stops).\n"
                         : "Not recording; record \"file\" starts.\n");
    return;
  }
  if (path == "off") {
    if (!recorder) throw fw::Error("not recording; record \"file\" starts");
    std::string was = recorder->path();
    s.set_recorder(nullptr);
    s.out() << "Stopped recording; the transcript is in " << was << ".\n";
    return;
  }
  auto next = std::make_unique<Recorder>(path, s.out(), s.err(), s.settings().echo);
  s.set_recorder(nullptr);
  s.out() << "Recording to " << path << " (record off stops).\n";
  std::string app = s.prompt(false);
  next->file() << "# fwitter transcript (" << app.substr(0, app.size() - 2) << ")\n";
  next->start();
  s.set_recorder(std::move(next));
}

}  // namespace fw::console
