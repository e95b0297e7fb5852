// `vssctl writers`: the current coordinator's writers in the layout of
// `vssadmin list writers` (or as JSON).
#pragma once

#include "scenario/scenario.h"

#include <cstdio>
#include <string>

namespace vssctl {

// Gathers metadata and status with a new requester and prints them. False
// when the requester could not (the error is printed). `given` is the
// scenario file as the command line named it ("-": standard input), for JSON.
bool list_writers(std::FILE *out, const vssapi::scenario::Scenario &scenario, const std::string &given, bool as_json);

} // namespace vssctl
