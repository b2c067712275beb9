// png.h - write the framebuffer as PNG, and read PNGs back for the headless checks
// (stb_image_write / stb_image from Debian's libstb).
#pragma once
#include <string>
#include <vector>

namespace epsim::viz {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgba;  // top row first
};

bool write_png(const std::string& path, const Image& img);
bool read_png(const std::string& path, Image& out);
// True if every pixel has the same colour (a blank render).
bool is_blank(const Image& img);
// Fraction of pixels that differ (images of different sizes differ everywhere: 1.0).
double diff_fraction(const Image& a, const Image& b);
// Number of distinct colours (capped at `cap`): a rendered UI has many.
int distinct_colors(const Image& img, int cap = 1000);

}  // namespace epsim::viz
