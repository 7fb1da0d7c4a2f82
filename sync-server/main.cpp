#include "ServerCommands.h"

int main(int argc, char** argv)
{
    return fieldsync::server::runServerCli(std::vector<std::string>(argv + 1, argv + argc));
}
