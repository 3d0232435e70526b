#ifndef RETORT_TESTS_TESTING_SANITIZED_H_
#define RETORT_TESTS_TESTING_SANITIZED_H_

// True in a sanitizer build (RETORT_SANITIZE): the test binary and the
// retort it runs are built alike, so both use the sanitizer's allocator and
// the CLI's huge-page heap is off (util/large_page_heap.h).
namespace retort::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace retort::test

#endif  // RETORT_TESTS_TESTING_SANITIZED_H_
