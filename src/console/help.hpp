#pragma once
// The console's help: an overview, topics that teach with examples (each
// example a statement that runs on the fwitter app, or on the example app it
// names; a test runs them all),
// and a method's entry from the vocabulary tables.
#include <string>
#include <vector>

namespace fw::console {

struct Example {
  const char* statement;
  const char* comment;        // what it shows, or ""
  const char* app = nullptr;  // an example app of db/examples it runs on ("guides"); null: the fwitter app
};

struct HelpTopic {
  const char* name;   // "associations"; `help command form` finds "command_form"
  const char* title;  // one line, for the overview
  const char* text;   // a few lines of explanation
  std::vector<Example> examples;
};

const std::vector<HelpTopic>& help_topics();
std::vector<std::string> help_topic_names();

// `help`, `help TOPIC` or `help METHOD`: the text to print. An unknown word
// throws fw::Error with a suggestion.
std::string help_text(const std::string& topic);
// A method's example statement (`help where`), "" when there is none.
std::string method_example(const std::string& kind, const std::string& name);

}  // namespace fw::console
