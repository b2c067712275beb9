// The GUI test runner (Catch2 main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
