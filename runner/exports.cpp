// exports.cpp - see exports.h.
#include "exports.h"

#include <cstdio>
#include <map>

#include "trace.h"

namespace epsim::scn {

std::string export_events_json(const Kernel& k) {
    std::string o = "{\"schema\":\"epsim.events\",\"version\":1,\"events\":[";
    char buf[160];
    for (std::size_t i = 0; i < k.log.events.size(); ++i) {
        const Event& e = k.log.events[i];
        std::snprintf(buf, sizeof buf, "%s{\"seq\":%zu,\"type\":\"%s\",\"fn\":\"%s\",\"a\":%u,\"b\":%u,\"c\":%u,",
                      i ? "," : "", i, event_type_name(e.type), kfn_name(e.fn), e.a, e.b, e.c);
        o += buf;
        o += "\"x\":" + std::to_string(e.x) + ",\"y\":" + std::to_string(e.y) + ",\"text\":\"" +
             json_escape(k.describe(e)) + "\"}";
    }
    return o + "]}";
}

std::string export_chrome_trace(const Kernel& k) {
    std::string o = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
    bool first = true;
    auto add = [&](const std::string& ev) {
        o += (first ? "" : ",") + ev;
        first = false;
    };
    ObjId current_task = 1;
    std::map<ObjId, bool> open;  // task -> a syscall slice is open on its track
    for (std::size_t i = 0; i < k.log.events.size(); ++i) {
        const Event& e = k.log.events[i];
        const std::string ts = std::to_string(i), tid = std::to_string(e.a);
        if (e.type == EventType::SyscallEnter) {
            current_task = e.a;
            std::string name = k.log.syscalls.held(e.c) ? k.log.syscalls[e.c].text : "syscall";
            add("{\"name\":\"" + json_escape(name) + "\",\"cat\":\"syscall\",\"ph\":\"B\",\"ts\":" + ts +
                ",\"pid\":1,\"tid\":" + tid + "}");
            open[e.a] = true;
            continue;
        }
        // A call that sleeps ends its slice where the task sleeps; its return, later, is an
        // instant on the same track (so every B has exactly one E).
        if (e.type == EventType::SyscallBlock || (e.type == EventType::SyscallExit && open[e.a])) {
            add("{\"name\":\"" + std::string(e.type == EventType::SyscallBlock ? "sleeps" : sys_name(static_cast<Sys>(e.b))) +
                "\",\"cat\":\"syscall\",\"ph\":\"E\",\"ts\":" + ts + ",\"pid\":1,\"tid\":" + tid + "}");
            open[e.a] = false;
            continue;
        }
        if (e.type == EventType::SyscallExit) {
            add("{\"name\":\"" + json_escape(k.describe(e)) + "\",\"cat\":\"syscall\",\"ph\":\"i\",\"s\":\"t\",\"ts\":" +
                ts + ",\"pid\":1,\"tid\":" + tid + "}");
            continue;
        }
        const char* cat = e.type == EventType::Callback ? "callback" : "kernel";
        add("{\"name\":\"" + std::string(event_type_name(e.type)) + "\",\"cat\":\"" + cat +
            "\",\"ph\":\"i\",\"s\":\"t\",\"ts\":" + ts + ",\"pid\":1,\"tid\":" + std::to_string(current_task) +
            ",\"args\":{\"fn\":\"" + kfn_name(e.fn) + "\",\"text\":\"" + json_escape(k.describe(e)) + "\"}}");
    }
    return o + "]}";
}

std::string export_dot(const Kernel& k) {
    std::string o = "digraph epsim {\n  node [fontname=\"monospace\"];\n  ordering=out;\n";
    for (const auto& epu : k.eventpolls()) {
        if (!epu) continue;
        const Eventpoll& ep = *epu;
        const std::string cl = "ep" + std::to_string(ep.id);
        o += "  subgraph cluster_" + cl + " {\n    label=\"ep#" + std::to_string(ep.id) + " interest tree (rbr)\";\n";
        for (const Epitem* epi : k.rb_items(ep)) {
            const bool red = epi->rbn.color == RbColor::Red;
            o += "    i" + std::to_string(epi->id) + " [label=\"fd " + std::to_string(epi->ffd.fd) + "\\n" +
                 json_escape(epoll_mask_str(epi->events)) + "\\ndata=" + std::to_string(epi->data) +
                 "\", style=filled, fillcolor=" + (red ? "\"#d62728\"" : "\"#222222\"") + ", fontcolor=white];\n";
        }
        for (const Epitem* epi : k.rb_items(ep)) {
            auto child = [&](const RbNode* n, const char* side) {
                if (n)
                    o += "    i" + std::to_string(epi->id) + " -> i" + std::to_string(epi_of_rbn(n)->id) +
                         " [label=\"" + side + "\"];\n";
                else
                    o += "    nil" + std::to_string(epi->id) + side + " [shape=point];\n    i" + std::to_string(epi->id) +
                         " -> nil" + std::to_string(epi->id) + side + ";\n";
            };
            child(epi->rbn.left, "L");
            child(epi->rbn.right, "R");
        }
        auto chain = [&](const std::vector<const Epitem*>& items, const std::string& name, const char* color) {
            o += "    " + cl + name + " [shape=box, label=\"" + name + "\", color=" + color + "];\n";
            std::string prev = cl + name;
            for (const Epitem* epi : items) {
                std::string id = cl + name + std::to_string(epi->id);
                o += "    " + id + " [shape=box, label=\"epitem#" + std::to_string(epi->id) + " fd " +
                     std::to_string(epi->ffd.fd) + "\", color=" + color + "];\n    " + prev + " -> " + id + ";\n";
                prev = id;
            }
        };
        chain(k.rdllist_items(ep), "rdllist", "blue");
        if (ep.ovflist != EP_UNACTIVE_PTR) chain(k.ovflist_items(ep), "ovflist", "orange");
        else o += "    " + cl + "ovflist [shape=box, label=\"ovflist = EP_UNACTIVE_PTR\", color=gray];\n";
        if (ep.scan_txlist) chain(k.txlist_items(ep), "txlist", "darkgreen");
        o += "  }\n";
    }
    return o + "}\n";
}

}  // namespace epsim::scn
