// options.cpp - see options.h.
#include "options.h"

namespace epsim::cli {

bool Args::value(const std::string& name, std::string& out) {
    for (std::size_t i = 0; i < args_.size(); ++i) {
        if (is_used(i)) continue;
        if (args_[i] == name) {
            use(i);
            if (i + 1 >= args_.size()) {
                error = name + " needs a value";
                return false;
            }
            use(i + 1);
            out = args_[i + 1];
            return true;
        }
        if (args_[i].rfind(name + "=", 0) == 0) {
            use(i);
            out = args_[i].substr(name.size() + 1);
            return true;
        }
    }
    return false;
}

bool Args::flag(const std::string& name) {
    for (std::size_t i = 0; i < args_.size(); ++i)
        if (!is_used(i) && args_[i] == name) {
            use(i);
            return true;
        }
    return false;
}

std::vector<std::string> Args::positional() {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < args_.size(); ++i)
        if (!is_used(i) && (args_[i].empty() || args_[i][0] != '-')) {
            use(i);
            v.push_back(args_[i]);
        }
    return v;
}

bool Args::unknown_options(std::string& which) {
    for (std::size_t i = 0; i < args_.size(); ++i)
        if (!is_used(i) && !args_[i].empty() && args_[i][0] == '-') {
            which = args_[i];
            return true;
        }
    return false;
}

}  // namespace epsim::cli
