// fieldsync: the headless shell over the device replica (Cli.h).
#include "Cli.h"

int main(int argc, char** argv)
{
    return fieldsync::cli::Cli().run(argc, argv);
}
