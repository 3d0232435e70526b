#ifndef RETORT_RETORT_H_
#define RETORT_RETORT_H_

// Everything a program needs to run retort's migrations (docs/library.md).
// Link retort::retort; these headers include only the standard library.
#include "retort/autogenerate.h"
#include "retort/config.h"
#include "retort/database_url.h"
#include "retort/embedded.h"
#include "retort/error.h"
#include "retort/operations.h"
#include "retort/results.h"
#include "retort/step.h"

#endif  // RETORT_RETORT_H_
