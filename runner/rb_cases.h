// rb_cases.h - `rb_cases(ep)`: which red-black fix-up steps the last change of ep's interest
// tree ran. The names are the model's rb event names (sim/event_log.h, after the case names of
// lib/rbtree.c's comments) without their "rb.insert." / "rb.erase." prefix:
//   insert: root_black  parent_black  case1.recolor  case2.rotate_left  case2.rotate_right
//           case3.rotate_left  case3.rotate_right
//   erase:  recolor_black  case1.rotate_left  case1.rotate_right  case2.recolor
//           case3.rotate_left  case3.rotate_right  case4.rotate_left  case4.rotate_right
// rb.link and rb.erase.unlink are not fix-ups (every insert links, every erase unlinks), so
// they are not listed; an erase of a red node lists nothing: [].
// The tree lives in the kernel and no syscall shows it: only the model answers (model_only).
#pragma once
#include <string>
#include <vector>

#include "runner/backend.h"
#include "sim/event_log.h"

namespace epsim::scn {

// Every name an rb_cases list may hold (insert and erase, without duplicates), for parsers
// and "did you mean" hints.
const std::vector<std::string>& rb_case_names();

// "case1.recolor" for rb.insert.case1.recolor; "" for an event that is not a fix-up step.
std::string rb_case_name(EventType t);

// The name as written by a student or a scenario, made canonical: "case1.recolor" and
// "rb.insert.case1.recolor" both give "case1.recolor"; "" if it names no fix-up step.
std::string rb_case_canonical(const std::string& written);

// The fix-up steps that follow the most recent rb.link or rb.erase.unlink of eventpoll `ep`
// in `log` (events with a == ep, right after it, in order).
RbCasesResult rb_cases_of(const EventLog& log, ObjId ep);

}  // namespace epsim::scn
