// fdinfo_parse.h - reads the item lines of /proc/PID/fdinfo/EPFD (both backends produce the
// kernel's text; this turns it into FdinfoItems).
#pragma once
#include <string_view>
#include <vector>

#include "backend.h"

namespace epsim::scn {
// Lines "tfd: %8d events: %8x data: %16llx ..." in order; other lines are skipped.
std::vector<FdinfoItem> parse_fdinfo_items(std::string_view text);
}  // namespace epsim::scn
