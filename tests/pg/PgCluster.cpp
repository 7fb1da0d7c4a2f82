#include "PgCluster.h"

#include "storage-pg/PgConnection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fieldsync::test {

namespace fs = std::filesystem;

namespace {

std::string capture(const std::string& command)
{
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buffer[512];
        while (fgets(buffer, sizeof buffer, p)) out += buffer;
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

int freePort()
{
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0
        || ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("no free loopback port for PostgreSQL");
    const int port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

std::string quote(const std::string& s)
{
    return "'" + s + "'";
}

// As root, commands run as the postgres user, which owns the folder.
std::string asServerUser(const std::string& command)
{
    return geteuid() == 0 ? "runuser -u postgres -- " + command : command;
}

void run(const std::string& command, const std::string& what)
{
    if (std::system(command.c_str()) != 0) throw std::runtime_error(what + " failed: " + command);
}

} // namespace

std::string PgCluster::binDir()
{
    if (const char* env = std::getenv("FIELDSYNC_PG_BIN")) return env;
    std::string dir = capture("pg_config --bindir 2>/dev/null");
    if (!dir.empty() && fs::exists(fs::path(dir) / "initdb")) return dir;
    for (int v = 20; v >= 12; --v) {
        std::string candidate = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
        if (fs::exists(fs::path(candidate) / "initdb")) return candidate;
    }
    throw std::runtime_error("PostgreSQL's initdb was not found: install Debian's postgresql package (./dev deps)");
}

std::unique_ptr<PgCluster> PgCluster::start(const std::string& dir)
{
    const std::string bin = binDir();
    fs::create_directories(dir);
    if (geteuid() == 0) {
        passwd* pw = getpwnam("postgres");
        if (!pw) throw std::runtime_error("running as root and there is no postgres user to run PostgreSQL as");
        run("chown -R postgres " + quote(dir), "chown");
    }
    const std::string data = dir + "/data";
    run(asServerUser(bin + "/initdb -D " + quote(data) + " -U fieldsync -A trust -E UTF8 --locale=C --no-sync >"
                     + quote(dir + "/initdb.log") + " 2>&1"),
        "initdb (see " + dir + "/initdb.log)");
    // A port can be taken between choosing it and the server binding it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const int port = freePort();
        const std::string options = "-p " + std::to_string(port) + " -k " + dir
                                    + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                                      " -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB";
        const std::string command = asServerUser(bin + "/pg_ctl -D " + quote(data) + " -o " + quote(options) + " -l "
                                                 + quote(dir + "/server.log") + " -w -t 60 start >/dev/null 2>&1");
        if (std::system(command.c_str()) == 0) {
            std::ofstream(dir + "/port") << port << "\n";
            return std::unique_ptr<PgCluster>(new PgCluster(dir, port, true));
        }
    }
    throw std::runtime_error("PostgreSQL did not start (see " + dir + "/server.log)");
}

std::unique_ptr<PgCluster> PgCluster::attach(const std::string& dir)
{
    std::ifstream in(dir + "/port");
    int port = 0;
    if (!(in >> port) || port <= 0) throw std::runtime_error("no PostgreSQL test cluster is running in " + dir);
    return std::unique_ptr<PgCluster>(new PgCluster(dir, port, false));
}

PgCluster& PgCluster::shared()
{
    static std::unique_ptr<PgCluster> cluster = [] {
        if (const char* dir = std::getenv("FIELDSYNC_TEST_PG_DIR"); dir && fs::exists(fs::path(dir) / "port"))
            return attach(dir);
        std::string pattern = (fs::temp_directory_path() / "fieldsync-pg-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        return start(pattern);
    }();
    return *cluster;
}

PgCluster::~PgCluster()
{
    if (m_owned) {
        try {
            stop();
        } catch (...) {
        }
    }
}

void PgCluster::stop()
{
    if (m_dir.empty()) return;
    const std::string command = asServerUser(binDir() + "/pg_ctl -D " + quote(m_dir + "/data")
                                             + " -m immediate -w stop >/dev/null 2>&1");
    std::system(command.c_str());
    std::error_code ignored;
    fs::remove_all(m_dir, ignored);
    m_dir.clear();
}

std::string PgCluster::url(const std::string& database) const
{
    return "postgresql://fieldsync@127.0.0.1:" + std::to_string(m_port) + "/" + database;
}

std::string PgCluster::createDatabase()
{
    static std::atomic<int> counter{0};
    const std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    storage::pg::PgConnection admin(url("postgres"));
    admin.exec("CREATE DATABASE " + name);
    return url(name);
}

} // namespace fieldsync::test
