#pragma once
// What an app's code may ask for and fwitter never does: run a program, open
// or delete a file, load code, reach the network. A learner's folder may come
// from anyone; opening it, and calling its models' methods, runs none of that.
#include <optional>
#include <string>

namespace fw::lang {

// Ruby's class for the refusal: a SecurityError, which a bare `rescue` (a
// StandardError) does not swallow.
inline constexpr const char* kRefusedClass = "SecurityError";

// The message for calling `name` (system, exec, `, eval, require, ...) when no
// method of the receiver answers it; nullopt for a name that asks for none of it.
std::optional<std::string> refused_call(const std::string& name);
// The message for naming File, IO, Dir, Process, Socket, ...; nullopt otherwise.
std::optional<std::string> refused_constant(const std::string& name);

}  // namespace fw::lang
