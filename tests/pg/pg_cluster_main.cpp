// fs_pg_cluster start|stop DIR: the ctest fixture `postgres` (PgCluster.h).
#include "PgCluster.h"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fs_pg_cluster start|stop DIR\n");
        return 2;
    }
    const std::string verb = argv[1], dir = argv[2];
    try {
        if (verb == "start") {
            auto cluster = fieldsync::test::PgCluster::start(dir);
            std::printf("PostgreSQL test cluster on port %d (%s)\n", cluster->port(), dir.c_str());
            cluster.release();  // left running for the tests; `stop` ends it
            return 0;
        }
        if (verb == "stop") {
            fieldsync::test::PgCluster::attach(dir)->stop();
            return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fs_pg_cluster: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "fs_pg_cluster: unknown command %s\n", verb.c_str());
    return 2;
}
