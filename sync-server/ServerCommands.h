// The fieldsync-server command line: `serve` and the admin commands (teams,
// users, devices), each a function from parsed arguments to an exit status.
#pragma once

#include <string>
#include <vector>

namespace fieldsync::server {

// argv without the program name. Prints to stdout/stderr; returns the exit status.
int runServerCli(const std::vector<std::string>& args);

} // namespace fieldsync::server
