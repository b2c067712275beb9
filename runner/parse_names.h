// parse_names.h - what a name means at a given point of the script: the bindings the parser
// keeps as it reads, so that a name is resolved (and refused) the moment it is used.
#pragma once
#include <map>
#include <string>

#include "runner/calls.h"

namespace epsim::scn::parsing {

enum class VarKind { Value, Fd, Pair, Process, Family };

struct Var {
    VarKind kind = VarKind::Value;
    VarKind elem = VarKind::Value;    // Family: what each e[i] is
    const FnInfo* pair_fn = nullptr;  // Pair (or a Family of pairs): its member names
    int line = 0;                     // where it was bound
};

// Everything a statement can refer to. Copied whole around a model_only block, whose two
// branches start from the same state and are merged afterwards.
struct Names {
    std::map<std::string, Var> vars;
    std::map<std::string, int> threads;    // name -> line of its declaration
    std::map<std::string, int> one_sided;  // bound in one branch of a model_only only -> its line
};

// A repeat's loop variable, in scope inside its body only.
struct LoopVar {
    std::string name;
    int line = 0;
};

// "p is a pipe: use p.r or p.w", from the function that made the pair.
std::string pair_hint(const std::string& shown, const FnInfo& fn);

// After a model_only block: only what both branches bound stays in scope; a name bound on one
// side only goes to one_sided, so that a later use gets a hint naming the block.
Names merge_branches(const Names& before, const Names& model_side, Names host_side, int block_line);

}  // namespace epsim::scn::parsing
