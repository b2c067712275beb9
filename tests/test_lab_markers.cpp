// The lab markers (runner/lab_markers.h) and the trees `epsim lab make` writes, without building.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "runner/lab_catalog.h"
#include "runner/lab_make.h"
#include "runner/lab_markers.h"

using namespace epsim::lab;

namespace {

const char* const kMarked =
    "int keep() { return 1; }\n"
    "// @lab(demo) begin: compute the answer\n"
    "int answer() { return 42; }\n"
    "// @lab(demo) stub\n"
    "//| int answer() {\n"
    "//|     // TODO(lab demo): compute it\n"
    "//|     return 0;\n"
    "//| }\n"
    "// @lab(demo) end\n"
    "    // @lab(other) begin: something else\n"
    "    int x = 1;\n"
    "    // @lab(other) stub\n"
    "    //| int x = 0;\n"
    "    // @lab(other) end\n";

}  // namespace

TEST_CASE("lab markers: regions are found with their goals and lines", "[cli][lab]") {
    MarkedFile mf = scan_regions(kMarked);
    REQUIRE(mf.error.empty());
    REQUIRE(mf.regions.size() == 2);
    CHECK(mf.regions[0].lab == "demo");
    CHECK(mf.regions[0].goal == "compute the answer");
    CHECK(mf.regions[0].begin_line == 2);
    CHECK(mf.regions[0].end_line == 9);
    CHECK(mf.regions[1].lab == "other");
}

TEST_CASE("lab markers: a handout gets the stub, other regions keep the reference", "[cli][lab]") {
    CHECK(apply_lab(kMarked, "demo") ==
          "int keep() { return 1; }\n"
          "int answer() {\n"
          "    // TODO(lab demo): compute it\n"
          "    return 0;\n"
          "}\n"
          "    int x = 1;\n");
    CHECK(apply_lab(kMarked, "other") ==
          "int keep() { return 1; }\n"
          "int answer() { return 42; }\n"
          "    int x = 0;\n");
    CHECK(apply_lab(kMarked, "") == "int keep() { return 1; }\nint answer() { return 42; }\n    int x = 1;\n");
}

TEST_CASE("lab markers: malformed markers are reported with their line", "[cli][lab]") {
    CHECK(scan_regions("// @lab(a) begin: g\nx\n// @lab(a) end\n").error.rfind("3: end marker", 0) == 0);
    CHECK(scan_regions("// @lab(a) begin: g\n// @lab(a) stub\n").error.find("not closed") != std::string::npos);
    CHECK(scan_regions("// @lab(a) begin: g\n// @lab(b) begin: h\n").error.rfind("2: ", 0) == 0);
    CHECK(scan_regions("// @lab(a) begin: g\n// @lab(a) stub\ncode\n// @lab(a) end\n").error.rfind("3: code line", 0) == 0);
    CHECK(scan_regions("//| loose\n").error.rfind("1: stub line", 0) == 0);
    CHECK(scan_regions("// @lab(a) begun\n").error.find("unknown marker") != std::string::npos);
    CHECK(scan_regions("// @lab(a) begin:\n").error.find("without a goal") != std::string::npos);
}

TEST_CASE("lab markers: every lab has regions in sim and its handout has no solution left", "[cli][lab]") {
    for (const LabInfo& lab : all_labs()) {
        INFO("lab " << lab.name);
        std::string err;
        std::vector<NamedText> handout = lab_sim_files(EPSIM_SOURCE_DIR, lab.name, err);
        REQUIRE(err.empty());
        std::vector<NamedText> solution = lab_sim_files(EPSIM_SOURCE_DIR, "", err);
        REQUIRE(err.empty());
        REQUIRE(handout.size() == solution.size());
        int todo = 0, differ = 0;
        for (std::size_t i = 0; i < handout.size(); ++i) {
            const std::string& h = handout[i].text;
            CHECK(h.find("@lab(") == std::string::npos);
            CHECK(h.find("//|") == std::string::npos);
            CHECK(solution[i].text.find("@lab(") == std::string::npos);
            if (h.find("TODO(lab " + lab.name + ")") != std::string::npos) ++todo;
            if (h != solution[i].text) ++differ;
        }
        CHECK(todo >= 1);
        CHECK(differ == todo);  // only the files with this lab's regions change
        REQUIRE(lab_test_files(EPSIM_SOURCE_DIR, lab.name, true, err).size() >= 3);
        CHECK(err.empty());
    }
}

TEST_CASE("lab make: refuses a non-empty directory without --force and an unknown lab", "[cli][lab]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("epsim-lab-make-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    MakeOptions opt{EPSIM_SOURCE_DIR, "wakeup", dir.string(), false, false};
    REQUIRE(make_tree(opt) == "");
    CHECK(fs::is_regular_file(dir / "README.md"));
    CHECK(fs::is_regular_file(dir / "CMakeLists.txt"));
    CHECK(fs::is_regular_file(dir / "sim" / "waitqueue.cpp"));
    CHECK(fs::is_regular_file(dir / "tests" / "test_wakeup.cpp"));
    CHECK_FALSE(fs::exists(dir / "sim" / "CMakeLists.txt"));
    CHECK(make_tree(opt).find("not empty") != std::string::npos);
    opt.force = true;
    CHECK(make_tree(opt) == "");
    opt.lab = "nosuchlab";
    CHECK(make_tree(opt).find("unknown lab") != std::string::npos);
    opt.lab = "wakeup";
    opt.src = dir.string();  // a handout is not a project source
    CHECK(make_tree(opt).find("no labs/common") != std::string::npos);
    fs::remove_all(dir);
}
