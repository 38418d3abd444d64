#pragma once
// Ruby's inspect: nil, "text", :sym, [1, 2], {name: "x"}, #<User id: 1, ...>.
#include <string>

#include "lang/object.hpp"

namespace fw::lang {

std::string inspect(const Object& o);

}  // namespace fw::lang
