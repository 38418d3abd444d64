// record "file"|off: a transcript of the session from now on, as --echo prints it.
#include "console/commands.hpp"
#include "console/recorder.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_record(Session& s, const std::string& args) {
  std::unique_ptr<Recorder>& recorder = s.recorder();
  std::string path = unquoted(args);
  if (path.empty()) {
    s.out() << (recorder ? "Recording to " + recorder->path() + " (record off stops).\n"
                         : "Not recording; record \"file\" starts.\n");
    return;
  }
  if (path == "off") {
    if (!recorder) throw fw::Error("not recording; record \"file\" starts");
    std::string was = recorder->path();
    recorder.reset();
    s.out() << "Stopped recording; the transcript is in " << was << ".\n";
    return;
  }
  auto next = std::make_unique<Recorder>(path, s.out(), s.err());
  recorder.reset();
  s.out() << "Recording to " << path << " (record off stops).\n";
  std::string app = s.prompt(false);
  next->file() << "# fwitter transcript (" << app.substr(0, app.size() - 2) << ")\n";
  next->start();
  recorder = std::move(next);
}

}  // namespace fw::console
