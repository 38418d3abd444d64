#pragma once
// What may start a name and what may continue one, as the lexer reads them
// (the bytes of a UTF-8 character count as letters).
#include <cctype>

namespace fw::lang {

inline bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
inline bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }

}  // namespace fw::lang
