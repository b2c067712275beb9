// lab_files.cpp - see lab_files.h.
#include "runner/lab_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace epsim::lab {

bool read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

std::string write_if_changed(const std::string& path, const std::string& text) {
    std::string old;
    if (read_text(path, old) && old == text) return "";
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return "cannot write '" + path + "'";
    return "";
}

std::vector<std::string> files_in(const std::string& dir, const std::vector<std::string>& exts) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        if (!e.is_regular_file(ec)) continue;
        const std::string n = e.path().filename().string();
        for (const std::string& x : exts)
            if (n.size() > x.size() && n.compare(n.size() - x.size(), x.size(), x) == 0) {
                names.push_back(n);
                break;
            }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string sync_dir(const std::string& dir, const std::vector<NamedText>& files) {
    std::set<std::string> keep;
    for (const NamedText& f : files) {
        keep.insert(f.name);
        std::string err = write_if_changed((fs::path(dir) / f.name).string(), f.text);
        if (!err.empty()) return err;
    }
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && !keep.count(e.path().filename().string())) fs::remove(e.path(), ec);
    return "";
}

std::vector<std::string> test_case_names(const std::string& source) {
    std::vector<std::string> names;
    std::istringstream in(source);
    const std::string key = "TEST_CASE(\"";
    for (std::string l; std::getline(in, l);) {
        const std::size_t at = l.find(key);
        if (at == std::string::npos || l.find_first_not_of(" \t") != at) continue;
        const std::size_t from = at + key.size();
        const std::size_t to = l.find('"', from);
        if (to != std::string::npos) names.push_back(l.substr(from, to - from));
    }
    return names;
}

}  // namespace epsim::lab
