// fmt's compiled part, built once here rather than in every source that
// formats (issue 41). Everywhere else includes <fmt/format.h> without
// FMT_HEADER_ONLY, so the templates and functions that fmt keeps out of its
// headers (declared there, defined in format-inl.h) are defined in this one
// object instead: the program needs no libfmt at run time, and the other
// sources no longer compile fmt's floating-point and locale code each.
#include <fmt/format-inl.h>

#include <locale>

namespace fmt {
FMT_BEGIN_DETAIL_NAMESPACE

// The templates format.h declares but only format-inl.h defines, for the
// types fmt's headers call them with: Dragonbox's shortest float and double,
// and the locale's separators for char and wchar_t.
template auto dragonbox::to_decimal<float>(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal<double>(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template auto thousands_sep_impl<char>(locale_ref loc) -> thousands_sep_result<char>;
template auto thousands_sep_impl<wchar_t>(locale_ref loc) -> thousands_sep_result<wchar_t>;
template auto decimal_point_impl<char>(locale_ref loc) -> char;
template auto decimal_point_impl<wchar_t>(locale_ref loc) -> wchar_t;

FMT_END_DETAIL_NAMESPACE
}  // namespace fmt
