// mirror.cpp - aligning and comparing a model trace with a host trace.
#include "mirror.h"

#include <algorithm>
#include <map>

namespace epsim::scn {

int Mirror::divergences() const {
    return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.diverged; }));
}
int Mirror::compared() const {
    return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.compared; }));
}

bool steps_agree(const Step& a, const Step& b, std::string& why) {
    if (a.fd_result && b.fd_result) {
        // fd numbers may differ between the backends; success and errno must not.
        if ((a.ret >= 0) != (b.ret >= 0) || a.err != b.err || a.blocked != b.blocked) {
            why = "result";
            return false;
        }
    } else if (a.result_text() != b.result_text()) {
        why = "result";
        return false;
    }
    if (a.has_interest && b.has_interest && a.interest != b.interest) {
        why = "interest list";
        return false;
    }
    return true;
}

// Steps are matched by key (source line plus loop iterations) in order of appearance; a key
// that occurs more than once is matched occurrence by occurrence.
std::vector<MirrorRow> align(const Trace& model, const Trace& host) {
    std::vector<MirrorRow> rows;
    std::map<std::string, std::vector<const Step*>> host_by_key;
    for (const Step& s : host.steps) host_by_key[s.key].push_back(&s);
    std::map<std::string, std::size_t> used;
    std::vector<const Step*> host_matched;
    for (const Step& m : model.steps) {
        MirrorRow row;
        row.model = &m;
        auto it = host_by_key.find(m.key);
        if (!m.model_only && it != host_by_key.end() && used[m.key] < it->second.size()) {
            row.host = it->second[used[m.key]++];
            host_matched.push_back(row.host);
        }
        if (row.host && !row.host->host_only && m.kind != StepKind::Say) {
            row.compared = true;
            row.diverged = !steps_agree(m, *row.host, row.why);
        }
        rows.push_back(row);
    }
    // Host steps with no model counterpart (host { } blocks), placed after the preceding row.
    for (const Step& h : host.steps) {
        if (std::find(host_matched.begin(), host_matched.end(), &h) != host_matched.end()) continue;
        MirrorRow row;
        row.host = &h;
        auto pos = std::find_if(rows.begin(), rows.end(), [&](const MirrorRow& r) {
            const Step* s = r.model ? r.model : r.host;
            return s->line > h.line;
        });
        rows.insert(pos, row);
    }
    return rows;
}

static std::string pad(std::string s, std::size_t w) {
    if (s.size() > w) return s.substr(0, w - 1) + "~";
    return s + std::string(w - s.size(), ' ');
}

std::string render_mirror_text(const Mirror& m, bool color) {
    const char* red = color ? "\033[31m" : "";
    const char* off = color ? "\033[0m" : "";
    std::string out = "== " + m.model.file + (m.model.title.empty() ? "" : ": " + m.model.title) + "\n";
    out += "    line  " + pad("call", 54) + pad("model", 40) + "host\n";
    for (const MirrorRow& r : m.rows) {
        const Step* s = r.model ? r.model : r.host;
        if (s->kind == StepKind::Say) continue;
        std::string call = (s->thread.empty() ? "" : s->thread + ": ") + s->call;
        std::string left = r.model ? r.model->result_text() : "-";
        std::string right = r.host ? r.host->result_text() : "-";
        if (r.model && r.model->model_only) right = "(model only)";
        if (r.host && r.host->host_only) left = "(host only)";
        char num[16];
        std::snprintf(num, sizeof num, "%6d  ", s->line);
        std::string line = std::string(r.diverged ? "!!" : "  ") + num + pad(call, 54) + pad(left, 40) + right;
        if (r.diverged) {
            line = red + line + "   <- differs: " + r.why + off;
            if (r.why == "interest list") {
                auto show = [](const Step* st) {
                    std::string t = "{";
                    for (std::size_t i = 0; i < st->interest.size(); ++i)
                        t += (i ? ", " : "") + st->interest[i].fd + ": " + std::to_string(st->interest[i].events);
                    return t + "}";
                };
                line += "\n          model interest " + show(r.model) + "\n          host  interest " + show(r.host);
            }
        }
        out += line + "\n";
    }
    if (!m.model.error.empty()) out += "model error: " + m.model.error + "\n";
    if (!m.host.error.empty()) out += "host error: " + m.host.error + "\n";
    return out;
}

std::string render_mirror_json(const Mirror& m) {
    std::string o = "{\"schema\":\"epsim.mirror\",\"version\":1,\"file\":\"" + json_escape(m.model.file) + "\",\"steps\":[";
    bool first = true;
    for (const MirrorRow& r : m.rows) {
        const Step* s = r.model ? r.model : r.host;
        if (s->kind == StepKind::Say) continue;
        o += first ? "" : ",";
        first = false;
        o += "{\"line\":" + std::to_string(s->line) + ",\"key\":\"" + s->key + "\",\"call\":\"" + json_escape(s->call) +
             "\",\"model\":\"" + json_escape(r.model ? r.model->result_text() : "") + "\",\"host\":\"" +
             json_escape(r.host ? r.host->result_text() : "") + "\",\"compared\":" + (r.compared ? "true" : "false") +
             ",\"diverged\":" + (r.diverged ? "true" : "false") + ",\"why\":\"" + r.why + "\"}";
    }
    o += "],\"divergences\":" + std::to_string(m.divergences()) + ",\"model_error\":\"" + json_escape(m.model.error) +
         "\",\"host_error\":\"" + json_escape(m.host.error) + "\"}";
    return o;
}

}  // namespace epsim::scn
