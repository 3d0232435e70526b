#include "util/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace retort::util {

void ParallelFor(std::size_t count, std::size_t min_parallel,
                 const std::function<void(std::size_t)>& work) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>({cores, 4, count});
  if (count < min_parallel || threads < 2) {
    for (std::size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::vector<std::exception_ptr> errors(count);
  // Interleaved (thread t takes t, t + threads, ...): file sizes vary little
  // with position, so the threads finish close together without a queue.
  auto run = [&](std::size_t first) {
    for (std::size_t i = first; i < count; i += threads) {
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  try {
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(run, t);
  } catch (...) {
    // No thread to spare: the ones started, and this one, do the rest.
  }
  // Slots no helper took (one failed to start) are run here.
  for (std::size_t t = helpers.size() + 1; t < threads; ++t) run(t);
  run(0);
  for (std::thread& helper : helpers) helper.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace retort::util
