// lab_files.h - small file helpers for the lab tools. Writes keep a file's timestamp when its
// content is unchanged, so rebuilding a re-made or re-graded tree recompiles only what changed.
#pragma once
#include <string>
#include <vector>

namespace epsim::lab {

bool read_text(const std::string& path, std::string& out);
// Creates parent directories. Returns "" or an error message.
std::string write_if_changed(const std::string& path, const std::string& text);
// Regular files directly in `dir` whose names end with one of `exts` (sorted by name).
std::vector<std::string> files_in(const std::string& dir, const std::vector<std::string>& exts);
// Makes `dir` hold exactly `files` (name -> content): writes the changed ones, removes the rest.
struct NamedText {
    std::string name;
    std::string text;
};
std::string sync_dir(const std::string& dir, const std::vector<NamedText>& files);
// The names of TEST_CASE("...") lines in a Catch2 source.
std::vector<std::string> test_case_names(const std::string& source);

}  // namespace epsim::lab
