#ifndef RETORT_UTIL_PARALLEL_H_
#define RETORT_UTIL_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace retort::util {

// Calls work(i) for every i in [0, count), on up to the machine's cores
// (at most 4) once `count` reaches `min_parallel`; below it, in order on
// this thread, where starting threads would cost more than they save. Each
// i is handled exactly once; work must be safe to call concurrently for
// different i (write only to slot i of a pre-sized result). An exception
// from work(i) stops nothing else; the one of the smallest such i is
// rethrown after every thread has finished, so the error a user sees does
// not depend on scheduling.
void ParallelFor(std::size_t count, std::size_t min_parallel,
                 const std::function<void(std::size_t)>& work);

}  // namespace retort::util

#endif  // RETORT_UTIL_PARALLEL_H_
