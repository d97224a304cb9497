#include "app/commands.hpp"

int main(int argc, char** argv) { return nebula::host::main_cli(argc, argv); }
