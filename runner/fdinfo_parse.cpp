// fdinfo_parse.cpp - see fdinfo_parse.h.
#include "fdinfo_parse.h"

#include <cstdio>
#include <string>

namespace epsim::scn {

std::vector<FdinfoItem> parse_fdinfo_items(std::string_view text) {
    std::vector<FdinfoItem> items;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(pos, end - pos));
        pos = end + 1;
        int tfd = 0;
        unsigned events = 0;
        unsigned long long data = 0;
        if (std::sscanf(line.c_str(), "tfd: %d events: %x data: %llx", &tfd, &events, &data) == 3)
            items.push_back(FdinfoItem{tfd, events, data});
    }
    return items;
}

}  // namespace epsim::scn
