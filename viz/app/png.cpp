// png.cpp - see png.h. libstb.so already holds the implementations: only the declarations are
// included here (no STB_*_IMPLEMENTATION macro).
#include "viz/app/png.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <cstring>
#include <unordered_set>

namespace epsim::viz {

bool write_png(const std::string& path, const Image& img) {
    if (img.w <= 0 || img.h <= 0 || img.rgba.size() < static_cast<std::size_t>(img.w) * static_cast<std::size_t>(img.h) * 4)
        return false;
    // Opaque images (screenshots) are written as RGB: smaller files.
    bool opaque = true;
    for (std::size_t i = 3; i < img.rgba.size() && opaque; i += 4) opaque = img.rgba[i] == 255;
    if (!opaque) return stbi_write_png(path.c_str(), img.w, img.h, 4, img.rgba.data(), img.w * 4) != 0;
    std::vector<unsigned char> rgb;
    rgb.reserve(img.rgba.size() / 4 * 3);
    for (std::size_t i = 0; i < img.rgba.size(); i += 4) rgb.insert(rgb.end(), &img.rgba[i], &img.rgba[i] + 3);
    return stbi_write_png(path.c_str(), img.w, img.h, 3, rgb.data(), img.w * 3) != 0;
}

bool read_png(const std::string& path, Image& out) {
    int w = 0, h = 0, n = 0;
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 4);
    if (!data) return false;
    out.w = w;
    out.h = h;
    out.rgba.assign(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    stbi_image_free(data);
    return true;
}

bool is_blank(const Image& img) {
    if (img.rgba.size() < 4) return true;
    for (std::size_t i = 4; i < img.rgba.size(); i += 4)
        if (std::memcmp(&img.rgba[i], &img.rgba[0], 4) != 0) return false;
    return true;
}

double diff_fraction(const Image& a, const Image& b) {
    if (a.w != b.w || a.h != b.h || a.rgba.size() != b.rgba.size() || a.rgba.empty()) return 1.0;
    std::size_t diff = 0;
    for (std::size_t i = 0; i < a.rgba.size(); i += 4)
        if (std::memcmp(&a.rgba[i], &b.rgba[i], 4) != 0) ++diff;
    return static_cast<double>(diff) / static_cast<double>(a.rgba.size() / 4);
}

int distinct_colors(const Image& img, int cap) {
    std::unordered_set<unsigned> seen;
    for (std::size_t i = 0; i + 3 < img.rgba.size(); i += 4) {
        unsigned c;
        std::memcpy(&c, &img.rgba[i], 4);
        seen.insert(c);
        if (static_cast<int>(seen.size()) >= cap) break;
    }
    return static_cast<int>(seen.size());
}

}  // namespace epsim::viz
