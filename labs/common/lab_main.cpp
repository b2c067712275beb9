// The Catch2 main of a lab's test binary. Run ./build/lab_tests, or one test by its name.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
