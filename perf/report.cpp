// report.cpp - see report.h.
#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace epsim::perf {

const Row* Report::find(const std::string& study, const std::string& side, const std::string& op, long n, int k) const {
    for (const Row& r : rows)
        if (r.study == study && r.side == side && r.op == op && r.n == n && r.k == k) return &r;
    return nullptr;
}

bool Report::all_pass() const {
    for (const Bar& b : bars)
        if (!b.pass()) return false;
    return true;
}

namespace {

std::string fmt(double v, int prec = 3) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    return buf;
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100 * v);
    return buf;
}

std::string pad(std::string s, std::size_t w) {
    if (s.size() < w) s.append(w - s.size(), ' ');
    return s;
}

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        if (c == '\n') {
            o += "\\n";
            continue;
        }
        o += c;
    }
    return o;
}

std::string q(const std::string& s) { return "\"" + esc(s) + "\""; }

}  // namespace

std::string render_text(const Report& r) {
    std::ostringstream o;
    o << "epsim bench" << (r.quick ? " --quick" : "") << "  (" << r.machine << ")\n";
    std::string study;
    for (const Row& row : r.rows) {
        if (row.study != study) {
            study = row.study;
            o << "\n== " << study << "\n"
              << pad("side", 12) << pad("op", 11) << pad("N", 9) << pad("k", 7) << pad("ns/op", 11)
              << pad("spread", 8) << "work per op\n";
        }
        std::string work;
        for (const auto& [name, v] : row.work)
            if (v != 0) work += name + "=" + fmt(v) + " ";
        o << pad(row.side, 12) << pad(row.op, 11) << pad(std::to_string(row.n), 9) << pad(std::to_string(row.k), 7)
          << pad(fmt(row.ns.median, 4), 11) << pad(percent(row.ns.spread()), 8) << work << "\n";
    }
    o << "\n== figures\n";
    for (const Figure& f : r.figures) o << pad(f.name, 34) << pad(fmt(f.value, 4) + " " + f.unit, 16) << f.detail << "\n";
    o << "\n== bars\n" << pad("bar", 34) << pad("value", 18) << pad("limit", 14) << pad("verdict", 9) << "how\n";
    int failed = 0;
    for (const Bar& b : r.bars) {
        failed += !b.pass();
        o << pad(b.name, 34) << pad(b.measured ? fmt(b.value, 3) + " " + b.unit : "n/a", 18)
          << pad("<= " + fmt(b.limit, 3), 14) << pad(b.pass() ? "PASS" : "FAIL", 9) << b.detail << "\n";
    }
    o << "\n" << r.bars.size() - static_cast<std::size_t>(failed) << " of " << r.bars.size() << " bars pass";
    if (failed) {
        o << "; failed:";
        for (const Bar& b : r.bars)
            if (!b.pass()) o << " " << b.name;
    }
    o << "\n";
    return o.str();
}

std::string render_json(const Report& r) {
    std::ostringstream o;
    o << "{\"schema\":" << q(Report::kSchema) << ",\"version\":" << Report::kVersion
      << ",\"quick\":" << (r.quick ? "true" : "false") << ",\"machine\":" << q(r.machine) << ",\"all_pass\":"
      << (r.all_pass() ? "true" : "false") << ",\n\"bars\":[";
    for (std::size_t i = 0; i < r.bars.size(); ++i) {
        const Bar& b = r.bars[i];
        o << (i ? ",\n" : "\n") << "{\"name\":" << q(b.name) << ",\"value\":" << (b.measured ? fmt(b.value, 6) : "null")
          << ",\"limit\":" << fmt(b.limit, 6) << ",\"unit\":" << q(b.unit) << ",\"verdict\":"
          << q(b.pass() ? "pass" : "fail") << ",\"detail\":" << q(b.detail) << "}";
    }
    o << "],\n\"figures\":[";
    for (std::size_t i = 0; i < r.figures.size(); ++i) {
        const Figure& f = r.figures[i];
        o << (i ? ",\n" : "\n") << "{\"name\":" << q(f.name) << ",\"value\":" << fmt(f.value, 6) << ",\"unit\":"
          << q(f.unit) << ",\"detail\":" << q(f.detail) << "}";
    }
    o << "],\n\"rows\":[";
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const Row& row = r.rows[i];
        o << (i ? ",\n" : "\n") << "{\"study\":" << q(row.study) << ",\"side\":" << q(row.side) << ",\"op\":" << q(row.op)
          << ",\"n\":" << row.n << ",\"k\":" << row.k << ",\"ns_median\":" << fmt(row.ns.median, 6)
          << ",\"ns_min\":" << fmt(row.ns.min, 6) << ",\"ns_max\":" << fmt(row.ns.max, 6) << ",\"reps\":" << row.ns.reps
          << ",\"work\":{";
        bool first = true;
        for (const auto& [name, v] : row.work) {
            o << (first ? "" : ",") << q(name) << ":" << fmt(v, 6);
            first = false;
        }
        o << "}}";
    }
    o << "]}\n";
    return o.str();
}

}  // namespace epsim::perf
