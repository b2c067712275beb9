// options.h - a small command-line option reader shared by the subcommands.
#pragma once
#include <string>
#include <vector>

namespace epsim::cli {

class Args {
public:
    Args(int argc, char** argv) : args_(argv, argv + argc) {}
    // --name VALUE or --name=VALUE; returns false if absent. A missing value is a usage error.
    bool value(const std::string& name, std::string& out);
    bool flag(const std::string& name);        // --name
    std::vector<std::string> positional();     // what is left, in order
    std::string error;                         // first usage error, if any
    bool unknown_options(std::string& which);  // anything starting with '-' still unused

private:
    std::vector<std::string> args_;
    std::vector<bool> used_ = std::vector<bool>(64, false);
    bool is_used(std::size_t i) const { return i < used_.size() && used_[i]; }
    void use(std::size_t i) {
        if (i >= used_.size()) used_.resize(i + 1, false);
        used_[i] = true;
    }
};

}  // namespace epsim::cli
