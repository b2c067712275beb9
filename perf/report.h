// report.h - what `epsim bench` measured: raw rows, the bars with their verdicts, and figures
// reported beside them; rendered as a text table or as JSON (schema "epsim.bench").
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "timing.h"

namespace epsim::perf {

// One measured point: a workload on one side at one size.
struct Row {
    std::string study;  // "compare" (model vs kernel), "kernel-growth", "model-growth"
    std::string side;   // "kernel", "model-off" (recording off), "model-on" (recording on)
    std::string op;     // "add+del", "mod", "harvest", "epoll_wait", "poll", "select"
    long n = 0;         // watched fds
    int k = 0;          // ready fds (0 where it does not apply)
    Sample ns;          // nanoseconds per operation
    std::map<std::string, double> work;  // model work counters per operation
};

// A target the issue sets: the measured value against a limit.
struct Bar {
    std::string name;
    double value = 0;
    double limit = 0;
    std::string unit;    // "x kernel", "x", "MB", "B/event", "ms"
    std::string detail;  // how it was measured (sizes, what was divided by what)
    bool measured = true;  // false: could not be measured (counts as a failure)
    bool pass() const { return measured && value <= limit; }
};

// A figure reported beside the bars, with no limit of its own (bytes per watched fd, ...).
struct Figure {
    std::string name;
    double value = 0;
    std::string unit;
    std::string detail;
};

struct Report {
    static constexpr const char* kSchema = "epsim.bench";
    static constexpr int kVersion = 1;
    bool quick = false;
    std::string machine;  // uname and CPU model, for the reader
    std::vector<Row> rows;
    std::vector<Bar> bars;
    std::vector<Figure> figures;
    const Row* find(const std::string& study, const std::string& side, const std::string& op, long n, int k) const;
    bool all_pass() const;
};

std::string render_text(const Report& r);
std::string render_json(const Report& r);

}  // namespace epsim::perf
