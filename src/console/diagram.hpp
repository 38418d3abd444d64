#pragma once
// The models and their associations as a diagram: Mermaid's erDiagram (which
// GitHub renders) or Graphviz's DOT. Each foreign key is one line, labelled
// with the association names on both its ends; through associations are
// dashed lines labelled with what they go through.
#include <string>

#include "model/app.hpp"

namespace fw::console {

// "mermaid" or "dot"; any other throws fw::Error naming both.
std::string diagram(const model::App& app, const std::string& format);

}  // namespace fw::console
