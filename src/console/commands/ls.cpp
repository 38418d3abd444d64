// ls: as irb's ls at the prompt, what this session holds: its variables,
// each with its class, and the methods defined with def.
#include <algorithm>

#include "base/text.hpp"
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_ls(Session& s, const std::string& args) {
  if (!args.empty())
    throw fw::Error("ls takes nothing: it lists this session's variables and methods (`schema User` and "
                    "`associations User` show a model)");
  lang::Interpreter& in = s.interpreter();
  std::vector<std::string> names = in.variable_names();
  names.erase(std::remove(names.begin(), names.end(), "_"), names.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::string> locals;
  for (const auto& name : names)
    if (const lang::Object* value = in.variable(name)) locals.push_back(name + " (" + lang::class_name(*value) + ")");
  s.out() << "locals: " << (locals.empty() ? "none yet (x = 1 makes one)" : join(locals, "  ")) << "\n";
  std::vector<std::string> methods = in.function_names();
  if (!methods.empty()) s.out() << "methods: " << join(methods, "  ") << "\n";
}

}  // namespace fw::console
