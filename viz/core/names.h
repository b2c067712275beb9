// names.h - the scenario's own names for fds, files and epitems ("p.r", "b", "e[2]"), so the
// panels can say what the narration says ("D and E are chained on ovflist") instead of only
// fd numbers.
//
// Built once per run from the trace and the model's log: a successful step that binds a name
// ("b = eventfd(0, 0)", "p = pipe()", "conn = accept(srv)", "d = dup(p.r)") and installs fds
// (fd.install events, in order) names each (process, fd, file) it installed: one fd takes the
// name itself, a pair takes NAME.r / NAME.w (pipe) or NAME.a / NAME.b (socketpair). A name
// belongs to the fd *and* its open file, so a closed and reused fd number is not misnamed, and a
// forked child's copy of the fd (same fd, same file) keeps the name. An epitem is named by the
// fd and file it watches (its key). Unnamed things keep their numbers.
#pragma once
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "runner/trace.h"
#include "sim/event_log.h"

namespace epsim::viz {

class FdNames {
public:
    FdNames() = default;
    FdNames(const scn::Trace& trace, EventSpan log);

    // The name of `fd` in process `proc` while it refers to `file` ("" if none). proc 0: any
    // process with that fd on that file.
    std::string of(int fd, ObjId file, ObjId proc = 0) const;
    // "b (fd 4)" when named, else "fd 4".
    std::string label(int fd, ObjId file, ObjId proc = 0) const;
    // Epitem `epi` in running text (beat captions, the drill): the name of the fd it was added
    // under ("a.r"), else "fd 4", else "epitem#7" when the log never allocated it. Read from the
    // epitem.alloc events (b = epitem, c = file, x = fd): epitem ids never change meaning.
    std::string epitem(ObjId epi) const;
    bool empty() const { return names_.empty(); }

private:
    std::map<std::tuple<ObjId, int, ObjId>, std::string> names_;  // (proc, fd, file) -> name
    std::map<std::pair<int, ObjId>, std::string> any_proc_;       // (fd, file) -> first name given
    std::vector<std::pair<int, ObjId>> epi_keys_;                 // by epitem id: (fd, file); fd -1 = unknown
};

}  // namespace epsim::viz
