// Headless runs of the real epviz binary under Xvfb: the screenshots are not blank and differ
// from step to step; without a display epviz says how to run it and exits 2.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "viz/app/png.h"

using namespace epsim::viz;

namespace {

int run(const std::string& cmd) {
    int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool have_xvfb() { return run("command -v xvfb-run >/dev/null 2>&1") == 0; }

std::string scenario(const char* rel) { return std::string(EPSIM_SOURCE_DIR) + "/scenarios/" + rel; }

}  // namespace

TEST_CASE("epviz headless: screenshots are non-blank and differ between steps", "[gui]") {
    if (!have_xvfb()) {
        WARN("xvfb-run is missing: skipped (apt-get install xvfb xauth)");
        return;
    }
    const std::string dir = EPVIZ_SHOT_DIR;
    std::filesystem::create_directories(dir);
    struct Shot {
        const char* file;
        const char* step;
        std::string png;
    };
    std::vector<Shot> shots{{"basics/lt-2kb.scn", "12", ""},
                            {"basics/lt-2kb.scn", "end", ""},
                            {"ordering/ovflist-window.scn", "150", ""},
                            {"ordering/ovflist-window.scn", "end", ""}};
    std::string script;
    for (std::size_t i = 0; i < shots.size(); ++i) {
        shots[i].png = dir + "/shot" + std::to_string(i) + ".png";
        std::filesystem::remove(shots[i].png);
        script += std::string(i ? " && " : "") + "'" + EPVIZ_PATH + "' '" + scenario(shots[i].file) + "' --step " +
                  shots[i].step + " --screenshot '" + shots[i].png + "' >/dev/null";
    }
    // One X server for the four runs.
    const std::string cmd = "ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -s \"-screen 0 1280x800x24\" sh -c \"" + script + "\"";
    INFO(cmd);
    REQUIRE(run(cmd) == 0);
    std::vector<Image> img(shots.size());
    for (std::size_t i = 0; i < shots.size(); ++i) {
        INFO(shots[i].png);
        REQUIRE(read_png(shots[i].png, img[i]));
        REQUIRE(img[i].w == 1280);
        REQUIRE(img[i].h == 800);
        REQUIRE_FALSE(is_blank(img[i]));
        REQUIRE(distinct_colors(img[i]) > 20);
    }
    // Two steps of one scenario differ, and so do the two scenarios.
    REQUIRE(diff_fraction(img[0], img[1]) > 0.005);
    REQUIRE(diff_fraction(img[2], img[3]) > 0.005);
    REQUIRE(diff_fraction(img[1], img[3]) > 0.005);
}

TEST_CASE("epviz headless: no display prints how to run it and exits 2", "[gui]") {
    const std::string out = std::string(EPVIZ_SHOT_DIR) + "/nodisplay.txt";
    std::filesystem::create_directories(EPVIZ_SHOT_DIR);
    const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY ASAN_OPTIONS=detect_leaks=0 '" + std::string(EPVIZ_PATH) +
                            "' '" + scenario("basics/lt-2kb.scn") + "' --screenshot /dev/null 2>'" + out + "'";
    REQUIRE(run(cmd) == 2);
    REQUIRE(run("grep -q 'epviz: no display; run it under xvfb-run -a -s \"-screen 0 1280x800x24\" epviz' '" + out + "'") == 0);
    REQUIRE(run("test $(wc -l < '" + out + "') -eq 1") == 0);
}

TEST_CASE("epviz headless: usage errors exit 2", "[gui]") {
    const std::string e = std::string("ASAN_OPTIONS=detect_leaks=0 '") + EPVIZ_PATH + "'";
    REQUIRE(run(e + " --size 12 2>/dev/null") == 2);
    REQUIRE(run(e + " --bogus 2>/dev/null") == 2);
    REQUIRE(run(e + " --step x 2>/dev/null") == 2);
    REQUIRE(run(e + " /nonexistent.scn --screenshot /dev/null 2>/dev/null") == 2);
    REQUIRE(run(e + " --help >/dev/null") == 0);
}

TEST_CASE("epviz headless: the PNG checker tells blank from drawn", "[gui]") {
    Image a;
    a.w = a.h = 4;
    a.rgba.assign(64, 7);
    REQUIRE(is_blank(a));
    REQUIRE(distinct_colors(a) == 1);
    Image b = a;
    b.rgba[20] = 200;
    REQUIRE_FALSE(is_blank(b));
    REQUIRE(diff_fraction(a, b) == Approx(1.0 / 16));
    REQUIRE(diff_fraction(a, a) == 0);
    const std::string p = std::string(EPVIZ_SHOT_DIR) + "/roundtrip.png";
    std::filesystem::create_directories(EPVIZ_SHOT_DIR);
    REQUIRE(write_png(p, b));
    Image c;
    REQUIRE(read_png(p, c));
    REQUIRE(c.rgba == b.rgba);
}
