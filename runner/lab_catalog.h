// lab_catalog.h - the labs epsim ships: names, goals, and where their files live in the
// project source (labs/<name>/README.md, labs/<name>/tests/, labs/<name>/hidden/).
#pragma once
#include <string>
#include <vector>

namespace epsim::lab {

struct LabInfo {
    std::string name;     // as in the markers: // @lab(NAME)
    std::string goal;     // one line
    int minutes = 0;      // expected time for a student who has read the reference sections
    std::vector<std::string> scenarios;  // lessons in scenarios/ that show the behaviour (reading)
};

const std::vector<LabInfo>& all_labs();
const LabInfo* find_lab(const std::string& name);

// The project source the labs are made from: must hold sim/kernel.h and labs/common/.
// Returns "" if `dir` looks right, else the reason it does not.
std::string check_source_dir(const std::string& dir);

}  // namespace epsim::lab
