// main.cpp - epviz: the window (GLFW + OpenGL3 + Dear ImGui 1.86) around App (ui.h).
//
//   epviz [FILE] [--step N|end] [--line L] [--screenshot out.png] [--size WxH] [--zoom Z]
//         [--bench-frames N] [--big-tree N] [--tree-zoom Z] [--predict] [--hide-kernel-while-asking]
//         [--question K] [--draft TEXT] [--answer TEXT] [--drill SEED] [--drill-move ACTION:NODE]...
//
// --screenshot renders the chosen step without user input (a few frames, so the layout
// settles; no animation), reads the framebuffer and writes a PNG, then exits 0. Without an X
// display it says how to run under xvfb-run and exits 2. Usage errors exit 2.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <sys/resource.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "runner/log_memory.h"
#include "viz/app/png.h"
#include "viz/app/ui.h"

using namespace epsim::viz;

namespace {

const char* const kUsage =
    "usage: epviz [FILE] [--step N|end] [--line L] [--screenshot out.png] [--size WxH] [--zoom Z] [--bench-frames N] [--big-tree N] [--tree-zoom Z]\n"
    "             [--overlay help|mirror|picker|drill] [--predict] [--hide-kernel-while-asking] [--question K] [--draft TEXT] [--answer TEXT] [--drill SEED] [--drill-move M]...\n"
    "  FILE             a scenario (.scn); default: scenarios/basics/lt-2kb.scn\n"
    "  --step N         start at event N (0-based; 'end' = the last event)\n"
    "  --line L         start at the end of the first step on scenario line L\n"
    "  --screenshot P   render that step to the PNG file P and exit (no window interaction)\n"
    "  --size WxH       window size (default 1280x800)\n"
    "  --zoom Z         presentation zoom, 0.6 to 3 (default 1)\n"
    "  --bench-frames N draw N frames, print frame times (median, p95, max), exit\n"
    "  --tree-zoom Z    start each tree zoomed in Z times from 'fit', about its centre\n"
    "  --big-tree N     instead of FILE: a generated model, one epoll watching N eventfds\n"
    "                   (built directly, recording off; for the level-of-detail view)\n"
    "  --overlay W      open a window at start: help, mirror (runs the real-kernel comparison), picker or drill\n"
    "  --predict        predict mode: playback stops before each `== ?` question and asks for the answer\n"
    "  --hide-kernel-while-asking  accepted for old scripts: the Predict panel always takes the kernel panel's place\n"
    "  --question K     predict mode, opened at question K (1-based)\n"
    "  --draft TEXT     fill the open question's answer (expectation syntax: \"1 [p.r: EPOLLIN]\")\n"
    "  --answer TEXT    fill it and reveal it\n"
    "  --drill SEED     open a generated rb-tree insert drill (eventfds added in a seeded order)\n"
    "  --drill-move M   play a drill move: recolour:NODE, rotl:NODE, rotr:NODE (an fd or a name), done, show (repeatable)\n"
    "  Press ? in the window for every key binding.\n";

const char* const kNoDisplay =
    "epviz: no display; run it under xvfb-run -a -s \"-screen 0 1280x800x24\" epviz ...\n";

struct Args {
    std::string file, step, screenshot, overlay;
    int line = 0, w = 1280, h = 800, bench = 0;
    long big_tree = 0;
    float tree_zoom = 1.f;
    float zoom = 1.f;
    // coursework (ui_predict.cpp, ui_drill.cpp)
    bool predict = false, hide_kernel = false, reveal = false;
    int question = 0;
    std::string answer;
    long long drill_seed = -1;
    std::vector<std::string> drill_moves;
};

bool parse(int argc, char** argv, Args& a, std::string& err) {
    for (int i = 1; i < argc; ++i) {
        std::string s = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                err = s + " needs a value";
                return false;
            }
            out = argv[++i];
            return true;
        };
        std::string v;
        if (s == "--help" || s == "-h") {
            err = "help";
            return false;
        } else if (s == "--step") {
            if (!value(a.step)) return false;
            if (a.step != "end" && a.step.find_first_not_of("0123456789") != std::string::npos) {
                err = "--step wants a number or 'end'";
                return false;
            }
        } else if (s == "--line") {
            if (!value(v)) return false;
            a.line = std::atoi(v.c_str());
            if (a.line <= 0) {
                err = "--line wants a line number";
                return false;
            }
        } else if (s == "--screenshot") {
            if (!value(a.screenshot)) return false;
        } else if (s == "--size") {
            if (!value(v)) return false;
            if (std::sscanf(v.c_str(), "%dx%d", &a.w, &a.h) != 2 || a.w < 320 || a.h < 240 || a.w > 8192 || a.h > 8192) {
                err = "--size wants WxH, e.g. 1280x800";
                return false;
            }
        } else if (s == "--zoom") {
            if (!value(v)) return false;
            a.zoom = static_cast<float>(std::atof(v.c_str()));
            if (a.zoom < 0.6f || a.zoom > 3.f) {
                err = "--zoom wants a number from 0.6 to 3";
                return false;
            }
        } else if (s == "--overlay") {
            if (!value(a.overlay)) return false;
            if (a.overlay != "help" && a.overlay != "mirror" && a.overlay != "picker" && a.overlay != "drill") {
                err = "--overlay wants help, mirror, picker or drill";
                return false;
            }
        } else if (s == "--predict") {
            a.predict = true;
        } else if (s == "--hide-kernel-while-asking") {
            a.hide_kernel = true;
        } else if (s == "--question") {
            if (!value(v)) return false;
            a.question = std::atoi(v.c_str());
            a.predict = true;
            if (a.question <= 0) {
                err = "--question wants a question number (1-based)";
                return false;
            }
        } else if (s == "--draft" || s == "--answer") {
            if (!value(a.answer)) return false;
            a.reveal = s == "--answer";
        } else if (s == "--drill") {
            if (!value(v)) return false;
            if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
                err = "--drill wants a seed (a number)";
                return false;
            }
            a.drill_seed = std::atoll(v.c_str());
        } else if (s == "--drill-move") {
            if (!value(v)) return false;
            a.drill_moves.push_back(v);
        } else if (s == "--bench-frames") {
            if (!value(v)) return false;
            a.bench = std::atoi(v.c_str());
            if (a.bench <= 0) {
                err = "--bench-frames wants a positive number";
                return false;
            }
        } else if (s == "--tree-zoom") {
            if (!value(v)) return false;
            a.tree_zoom = static_cast<float>(std::atof(v.c_str()));
            if (a.tree_zoom < 1.f || a.tree_zoom > 1e7f) {
                err = "--tree-zoom wants a number from 1 to 10000000";
                return false;
            }
        } else if (s == "--big-tree") {
            if (!value(v)) return false;
            a.big_tree = std::atol(v.c_str());
            if (a.big_tree <= 0 || a.big_tree > 5000000) {
                err = "--big-tree wants a number from 1 to 5000000";
                return false;
            }
        } else if (!s.empty() && s[0] == '-') {
            err = "unknown option " + s;
            return false;
        } else if (a.file.empty()) {
            a.file = s;
        } else {
            err = "only one FILE";
            return false;
        }
    }
    return true;
}

// imgui.ini under $XDG_CONFIG_HOME/epsim/ (or ~/.config/epsim/), never the working directory.
std::string ini_path() {
    std::filesystem::path dir;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) dir = x;
    else if (const char* h = std::getenv("HOME"); h && *h) dir = std::filesystem::path(h) / ".config";
    else return "";
    dir /= "epsim";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return "";
    return (dir / "imgui.ini").string();
}

std::string find_font() {
    for (const char* p : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
                          "/usr/share/fonts/dejavu/DejaVuSans.ttf"})
        if (std::filesystem::exists(p)) return p;
    return "";
}

// The font at the zoom's size: DejaVu Sans if present (sharp at any size), else ImGui's
// built-in font scaled.
void build_font(float zoom, const ImGuiStyle& base_style) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
    const std::string font = find_font();
    ImFont* f = nullptr;
    if (!font.empty()) f = io.Fonts->AddFontFromFileTTF(font.c_str(), 15.f * zoom, nullptr, ranges);
    // Fonts[1]: monospace for the scenario source and the pseudo-code.
    std::string mono = font.empty() ? "" : font.substr(0, font.rfind('/') + 1) + "DejaVuSansMono.ttf";
    if (f && std::filesystem::exists(mono)) io.Fonts->AddFontFromFileTTF(mono.c_str(), 13.5f * zoom, nullptr, ranges);
    if (f) {
        io.FontGlobalScale = 1.f;
    } else {
        io.Fonts->AddFontDefault();
        io.FontGlobalScale = zoom;
    }
    ImGui::GetStyle() = base_style;
    ImGui::GetStyle().ScaleAllSizes(zoom);
}

// --question, --draft/--answer and --drill-move: put predict mode or the drill in a given
// state without input (screenshots, demos).
bool apply_course_args(App& app, const Args& a, std::string& err) {
    if (a.question > 0) {
        const auto k = static_cast<std::size_t>(a.question - 1);
        if (k >= app.predict.gate.slots().size()) {
            err = "--question " + std::to_string(a.question) + ": the scenario has " +
                  std::to_string(app.predict.gate.slots().size()) + " question(s)";
            return false;
        }
        app.seek(app.predict.gate.open(k));
        app.gated_pos = app.cursor.pos();
        app.predict.begin();
    }
    if (!a.answer.empty()) {
        if (app.predict.gate.phase() != PredictGate::Phase::Asking) {
            err = "--draft/--answer need an open question (--question K)";
            return false;
        }
        epsim::quiz::ParsedAnswer p = epsim::quiz::parse_answer(a.answer);
        if (!p.answer) {
            err = "--answer: " + p.error;
            return false;
        }
        app.predict.draft.set(*p.answer);
        if (a.reveal && app.session.kernel()) {
            app.predict.reveal(*app.session.kernel());
            // A screenshot shows the state at the end of the step the reveal animates.
            if (app.predict.gate.run_until != SIZE_MAX) app.seek(app.predict.gate.run_until);
            app.gated_pos = app.cursor.pos();
        }
    }
    if (!a.drill_moves.empty()) {
        if (!app.session.kernel()) return true;
        app.show_drill = true;
        app.drill.load(*app.session.kernel(), &app.session.names);
        app.drill.start(app.drill.interesting());
        for (const std::string& m : a.drill_moves) {
            const std::size_t colon = m.find(':');
            const std::string act = m.substr(0, colon);
            if (act == "show") {
                app.drill.show();
                continue;
            }
            if (act == "done") {
                app.drill.play(DrillAction::Done);
                continue;
            }
            // The node by its fd number or its scenario name: rotl:8, rotl:e[3].
            const std::string node = colon == std::string::npos ? "" : m.substr(colon + 1);
            app.drill.selected = app.drill.node_named(node);
            if (!app.drill.selected) {
                err = "--drill-move " + m + ": no node '" + node + "' (an fd or a name) in the drill's tree";
                return false;
            }
            if (act == "recolour") app.drill.play(DrillAction::Recolour);
            else if (act == "rotl") app.drill.play(DrillAction::RotateLeft);
            else if (act == "rotr") app.drill.play(DrillAction::RotateRight);
            else {
                err = "--drill-move wants recolour:NODE, rotl:NODE, rotr:NODE (NODE: an fd or a name), done or show";
                return false;
            }
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    epsim::install_log_memory();  // event logs of millions of events on huge pages
    Args a;
    std::string err;
    if (!parse(argc, argv, a, err)) {
        if (err == "help") {
            std::cout << kUsage;
            return 0;
        }
        std::cerr << "epviz: " << err << "\n" << kUsage;
        return 2;
    }
    const std::string src_dir = EPSIM_SOURCE_DIR;
    if (a.file.empty() && !a.big_tree) {
        std::string def = src_dir + "/scenarios/basics/lt-2kb.scn";
        if (std::filesystem::exists(def)) a.file = def;
    }
    const bool headless = !a.screenshot.empty();

    // Load before opening a window: a bad file is an input error (exit 2) with or without one.
    UiOptions opt;
    opt.scenario_dir = src_dir + "/scenarios";
    if (!std::filesystem::exists(opt.scenario_dir)) opt.scenario_dir.clear();
    opt.animate = !headless;
    opt.tree_zoom = a.tree_zoom;
    App app(opt);
    if (a.drill_seed >= 0) {  // a generated drill scenario, written where the session can load it
        std::error_code ec;
        const auto path = std::filesystem::temp_directory_path(ec) / ("epviz-drill-" + std::to_string(a.drill_seed) + ".scn");
        std::ofstream(path) << drill_scenario(static_cast<std::uint64_t>(a.drill_seed));
        a.file = path.string();
        a.overlay = "drill";
    }
    if (a.big_tree) {
        app.open_big_tree(static_cast<std::size_t>(a.big_tree));
    } else if (!a.file.empty() && !app.open(a.file)) {
        std::cerr << app.session.error << "\n";
        if (headless || a.bench) return 2;
    }
    if (!a.step.empty()) app.seek(a.step == "end" ? SIZE_MAX : static_cast<std::size_t>(std::stoull(a.step)));
    if (a.line) {
        for (std::size_t s = 0; s < app.session.trace.steps.size(); ++s)
            if (app.session.trace.steps[s].line == a.line) {
                long ev = app.session.timeline.step_end_event(static_cast<int>(s));
                if (ev >= 0) {
                    app.seek(static_cast<std::size_t>(ev));
                    break;
                }
            }
    }
    app.zoom = a.zoom;
    if (a.overlay == "help") app.show_help = true;
    if (a.overlay == "picker") app.show_picker = true;
    if (a.overlay == "drill") app.show_drill = true;
    (void)a.hide_kernel;  // always so now: the Predict panel takes the kernel panel's place
    if (a.predict) app.set_predict(true);
    if (!apply_course_args(app, a, err)) {
        std::cerr << "epviz: " << err << "\n";
        return 2;
    }
    if (a.overlay == "mirror") {
        app.show_mirror = true;
        if (!app.session.run_mirror()) std::cerr << "epviz: mirror: " << app.session.mirror_error << "\n";
    }

    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        std::fputs(kNoDisplay, stderr);
        return 2;
    }
    glfwSetErrorCallback([](int, const char*) {});
    if (!glfwInit()) {
        std::fputs(kNoDisplay, stderr);
        return 2;
    }
    glfwWindowHint(GLFW_RESIZABLE, headless ? GLFW_FALSE : GLFW_TRUE);
    std::string title = "epviz - " + (app.session.title.empty() ? a.file : app.session.title);
    GLFWwindow* win = glfwCreateWindow(a.w, a.h, title.c_str(), nullptr, nullptr);
    if (!win) {
        std::fputs("epviz: cannot open an OpenGL 3 window on this display\n", stderr);
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(headless || a.bench ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    static std::string ini;
    if (headless || a.bench) {
        io.IniFilename = nullptr;
    } else {
        ini = ini_path();
        io.IniFilename = ini.empty() ? nullptr : ini.c_str();
    }
    ImGui::StyleColorsDark();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.FrameRounding = 3;
    st.WindowBorderSize = 1;
    const ImGuiStyle base_style = st;
    build_font(app.zoom, base_style);
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    int frame = 0;
    const int settle_frames = 4;
    std::vector<double> times, ui_times;  // whole frame; App::frame + ImGui::Render alone
    double cpu_at_first = 0;              // process CPU time (all threads, llvmpipe's too)
    auto cpu_ms = [] {
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        return (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
    };
    auto last = std::chrono::steady_clock::now();
    int rc = 0;
    while (!glfwWindowShouldClose(win)) {
        glfwPollEvents();
        if (app.zoom_changed) {
            app.zoom_changed = false;
            build_font(app.zoom, base_style);
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        auto now = std::chrono::steady_clock::now();
        float dt = std::chrono::duration<float>(now - last).count();
        last = now;
        if (headless) dt = 1.f / 60.f;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (headless) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // Xvfb's pointer sits mid-screen: no hover
        ImGui::NewFrame();
        const auto ui0 = std::chrono::steady_clock::now();
        app.frame(dt);
        ImGui::Render();
        const double ui_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ui0).count();
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(win, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(0.06f, 0.06f, 0.07f, 1.f);  // the tiled panels' background (App::frame)
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        ++frame;
        if (headless && frame >= settle_frames) {
            Image img;
            img.w = fw;
            img.h = fh;
            img.rgba.resize(static_cast<std::size_t>(fw) * static_cast<std::size_t>(fh) * 4);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadBuffer(GL_BACK);
            glReadPixels(0, 0, fw, fh, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
            // GL's rows go bottom-up; PNG's top-down.
            const std::size_t stride = static_cast<std::size_t>(fw) * 4;
            for (int y = 0; y < fh / 2; ++y)
                std::swap_ranges(img.rgba.begin() + static_cast<long>(y * stride),
                                 img.rgba.begin() + static_cast<long>((y + 1) * stride),
                                 img.rgba.begin() + static_cast<long>((fh - 1 - y) * stride));
            for (std::size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;
            if (!write_png(a.screenshot, img)) {
                std::cerr << "epviz: cannot write " << a.screenshot << "\n";
                rc = 2;
            } else {
                std::cout << a.screenshot << "\n";
            }
            break;
        }
        glfwSwapBuffers(win);
        if (a.bench) {
            glFinish();
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count());
            ui_times.push_back(ui_ms);
            if (times.size() == 1) cpu_at_first = cpu_ms();
            if (static_cast<int>(times.size()) >= a.bench) break;
        }
    }
    if (a.bench && !times.empty()) {
        // The first frames build the view and the layouts of the step: reported apart.
        auto stats = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            const auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
            char buf[128];
            std::snprintf(buf, sizeof buf, "median %.2f ms, p95 %.2f ms, max %.2f ms", at(0.5), at(0.95), v.back());
            return std::string(buf);
        };
        std::printf("epviz: %zu frames: %s; first frame %.2f ms\n", times.size(), stats(times).c_str(), times.front());
        std::printf("epviz: UI work alone (App::frame + ImGui::Render): %s\n", stats(ui_times).c_str());
        if (times.size() > 1)
            std::printf("epviz: CPU time per frame, all threads (load-independent): %.2f ms\n",
                        (cpu_ms() - cpu_at_first) / static_cast<double>(times.size() - 1));
        std::printf("epviz: last frame: %d vertices, %d indices\n", io.MetricsRenderVertices, io.MetricsRenderIndices);
        if (std::getenv("EPVIZ_BENCH_LISTS"))
            for (int i = 0; i < ImGui::GetDrawData()->CmdListsCount; ++i)
                std::printf("  %6d vertices  %s\n", ImGui::GetDrawData()->CmdLists[i]->VtxBuffer.Size, ImGui::GetDrawData()->CmdLists[i]->_OwnerName);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(win);
    glfwTerminate();
    return rc;
}
