// fmt's compiled part, built into the retort executable instead of linked
// from libfmt.so. Why: with no shared library that needs libstdc++.so, the
// executable can carry the C++ runtime statically (RETORT_STATIC_RUNTIME in
// CMakeLists.txt), and every run skips loading and relocating libfmt,
// libstdc++ and libgcc_s: ~0.5 ms of a 1.8 ms start-up (docs/performance.md).
// The layers' static libraries (libretort.a for library users) keep linking
// libfmt as before; only this program's link puts these definitions first.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
// format.h declares these instantiations `extern template`: they exist only
// in the compiled library, so they must be defined here too.
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
}  // namespace detail
FMT_END_NAMESPACE
