// PgCluster: a throwaway PostgreSQL server for tests, from Debian's
// postgresql package: initdb into a temporary folder, then pg_ctl start on a
// free loopback port, trust authentication, fsync off. PostgreSQL refuses to
// run as root; as root the folder is handed to the `postgres` system user and
// the server runs as that user (runuser).
//
// ctest starts one cluster for all the PostgreSQL tests of a run (the
// fixture `postgres`: `fs_pg_cluster start DIR` ... `fs_pg_cluster stop DIR`)
// and passes DIR in FIELDSYNC_TEST_PG_DIR; a test binary run by hand starts
// its own and stops it at exit. Each test takes a fresh database
// (createDatabase), so tests never see each other's data.
#pragma once

#include <memory>
#include <string>

namespace fieldsync::test {

class PgCluster {
public:
    // Starts a cluster in `dir` (created if missing; must be empty).
    static std::unique_ptr<PgCluster> start(const std::string& dir);
    // Attaches to the cluster `start` left running in `dir`.
    static std::unique_ptr<PgCluster> attach(const std::string& dir);
    // This process's cluster: attached via FIELDSYNC_TEST_PG_DIR, or
    // started on first use and stopped at exit.
    static PgCluster& shared();

    ~PgCluster();
    void stop();

    // postgresql://fieldsync@127.0.0.1:PORT/<database>
    std::string url(const std::string& database) const;
    // A new, empty database with a unique name; returns its URL.
    std::string createDatabase();
    int port() const { return m_port; }
    const std::string& dir() const { return m_dir; }
    // Where the PostgreSQL binaries are (pg_config --bindir).
    static std::string binDir();

private:
    PgCluster(std::string dir, int port, bool owned) : m_dir(std::move(dir)), m_port(port), m_owned(owned) {}
    std::string m_dir;
    int m_port = 0;
    bool m_owned = false;  // stop() on destruction
};

} // namespace fieldsync::test
