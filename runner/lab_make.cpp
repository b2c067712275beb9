// lab_make.cpp - see lab_make.h.
#include "runner/lab_make.h"

#include <filesystem>
#include <sstream>

#include "runner/lab_catalog.h"
#include "runner/lab_markers.h"

namespace fs = std::filesystem;

namespace epsim::lab {

std::vector<NamedText> lab_sim_files(const std::string& src, const std::string& stub_lab, std::string& error) {
    std::vector<NamedText> out;
    const std::string dir = (fs::path(src) / "sim").string();
    for (const std::string& name : files_in(dir, {".h", ".cpp"})) {
        std::string text;
        if (!read_text(dir + "/" + name, text)) {
            error = "cannot read sim/" + name;
            return {};
        }
        MarkedFile mf = scan_regions(text);
        if (!mf.error.empty()) {
            error = "sim/" + name + ":" + mf.error;
            return {};
        }
        out.push_back({name, apply_lab(text, stub_lab)});
    }
    return out;
}

std::vector<NamedText> lab_test_files(const std::string& src, const std::string& lab, bool with_hidden,
                                      std::string& error) {
    std::vector<NamedText> out;
    const fs::path labs = fs::path(src) / "labs";
    auto add = [&](const fs::path& dir, const std::string& name) {
        NamedText f{name, ""};
        if (!read_text((dir / name).string(), f.text)) error = "cannot read " + (dir / name).string();
        out.push_back(f);
    };
    add(labs / "common", "lab_main.cpp");
    add(labs / "common", "lab_helpers.h");
    const fs::path tests = labs / lab / "tests";
    for (const std::string& n : files_in(tests.string(), {".cpp", ".h"})) add(tests, n);
    if (with_hidden) {
        const fs::path hidden = labs / lab / "hidden";
        for (const std::string& n : files_in(hidden.string(), {".cpp", ".h"})) add(hidden, n);
    }
    if (out.size() <= 2 && error.empty()) error = "no tests in " + tests.string();
    return out;
}

namespace {

// What the README adds to the hand-written labs/<lab>/README.md.
std::string readme_appendix(const std::string& src, const LabInfo& info, const std::vector<NamedText>& tests,
                            bool solution) {
    std::ostringstream o;
    o << "\n## What you implement\n\n";
    if (solution)
        o << "This is the **solution** tree: the regions below hold the reference code.\n\n";
    else
        o << "Search for `TODO(lab " << info.name << ")`. Each place replaces reference code:\n\n";
    for (const std::string& name : files_in((fs::path(src) / "sim").string(), {".h", ".cpp"})) {
        std::string text;
        if (!read_text((fs::path(src) / "sim" / name).string(), text)) continue;
        for (const Region& r : scan_regions(text).regions)
            if (r.lab == info.name) o << "- `sim/" << name << "`: " << r.goal << "\n";
    }
    o << "\nKeep every function's name and signature: the tests and the rest of the model call them.\n";
    o << "\n## How it is graded\n\nEach test case below is worth one point (`epsim grade " << info.name
      << " DIR`). A test that crashes or runs longer than its time limit scores 0 and shows the output it "
         "printed. The grader builds your `sim/` with its own copy of `CMakeLists.txt` and of the tests, "
         "so change only `sim/`. Some tests pass already: they check what you must not break.\n\n";
    for (const NamedText& t : tests)
        for (const std::string& n : test_case_names(t.text)) o << "- " << n << "\n";
    if (!info.scenarios.empty()) {
        o << "\nScenarios that show the behaviour (run them with the reference `epsim run --events FILE`, "
             "or compare with the real kernel: `epsim mirror FILE`):\n\n";
        for (const std::string& s : info.scenarios) o << "- `" << s << "`\n";
    }
    o << "\n## Build and test yourself\n\n"
         "```sh\n"
         "cmake -B build                 # add -DLAB_SANITIZE=ON to catch list and tree corruption early\n"
         "cmake --build build -j2\n"
         "./build/lab_tests              # all tests; or one: ./build/lab_tests \"its name\"\n"
         "```\n\n"
         "You need CMake, a C++20 compiler and Catch2 2.x (Debian/Ubuntu: `apt-get install cmake g++ "
         "catch2`). Warnings about unused helpers in a stubbed file go away once your code uses them.\n";
    return o.str();
}

bool dir_is_empty_or_missing(const std::string& d) {
    std::error_code ec;
    if (!fs::exists(d, ec)) return true;
    return fs::is_directory(d, ec) && fs::directory_iterator(d, ec) == fs::directory_iterator();
}

}  // namespace

std::string make_tree(const MakeOptions& opt) {
    std::string err = check_source_dir(opt.src);
    if (!err.empty()) return err;
    const LabInfo* info = find_lab(opt.lab);
    if (!info) return "unknown lab '" + opt.lab + "' (epsim lab list)";
    if (opt.out.empty()) return "no output directory (--out DIR)";
    if (!opt.force && !dir_is_empty_or_missing(opt.out))
        return "'" + opt.out + "' is not empty (use --force to write into it)";

    std::vector<NamedText> sim = lab_sim_files(opt.src, opt.solution ? "" : opt.lab, err);
    if (!err.empty()) return err;
    std::vector<NamedText> tests = lab_test_files(opt.src, opt.lab, false, err);
    if (!err.empty()) return err;
    std::string cmake, readme;
    if (!read_text((fs::path(opt.src) / "labs" / "common" / "CMakeLists.txt").string(), cmake))
        return "cannot read labs/common/CMakeLists.txt";
    if (!read_text((fs::path(opt.src) / "labs" / opt.lab / "README.md").string(), readme))
        return "cannot read labs/" + opt.lab + "/README.md";
    readme += readme_appendix(opt.src, *info, tests, opt.solution);

    const fs::path out(opt.out);
    for (const std::string& e : {sync_dir((out / "sim").string(), sim), sync_dir((out / "tests").string(), tests),
                                 write_if_changed((out / "CMakeLists.txt").string(), cmake),
                                 write_if_changed((out / "README.md").string(), readme),
                                 write_if_changed((out / ".gitignore").string(), "build/\nresults.json\n")})
        if (!e.empty()) return e;
    return "";
}

}  // namespace epsim::lab
