#include "storage/Migrations.h"

#include "storage/Connection.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <functional>
#include <string>

namespace fieldsync::storage {

namespace {

std::string describe(const Migration& step)
{
    return "migration " + std::to_string(step.version) + " (" + (step.description ? step.description : "") + ")";
}

// Checked before touching the database, so a broken list never half-applies.
void validate(std::span<const Migration> migrations)
{
    for (size_t i = 0; i < migrations.size(); ++i) {
        const Migration& step = migrations[i];
        if (step.version != static_cast<int>(i) + 1)
            throw MigrationError("migrations must be numbered 1.." + std::to_string(migrations.size())
                                 + " without gaps, but entry " + std::to_string(i + 1) + " is "
                                 + describe(step));
        if (!step.sql && !step.apply)
            throw MigrationError(describe(step) + " has neither sql nor apply");
    }
}

// The ladder itself: `read`/`write` get and set the version the file is at.
int climb(Connection& db, std::span<const Migration> migrations, int target, const std::string& what,
          const std::function<int()>& read, const std::function<void(int)>& write)
{
    validate(migrations);
    const int newest = static_cast<int>(migrations.size());
    if (target == -1)
        target = newest;
    if (target < 0 || target > newest)
        throw MigrationError("migration target " + std::to_string(target) + " is outside 0.."
                             + std::to_string(newest));

    auto tooNew = [&](int version) {
        return MigrationError("database " + db.path() + " is at " + what + " version " + std::to_string(version)
                              + ", newer than this build, which knows versions up to " + std::to_string(newest));
    };
    int version = read();
    if (version > newest) throw tooNew(version);

    while (version < target) {
        // The step expected next, for messages; re-checked under the lock.
        const Migration* step = &migrations[static_cast<size_t>(version)];
        try {
            // The version bump commits together with the step, so the file is
            // always exactly at some version, never between two. Read again
            // under the writer lock: another process may have climbed meanwhile.
            Transaction transaction(db);
            version = read();
            if (version > newest) throw tooNew(version);
            if (version >= target) break;
            step = &migrations[static_cast<size_t>(version)];
            if (step->sql)
                db.exec(step->sql);
            if (step->apply)
                step->apply(db);
            write(step->version);
            transaction.commit();
            version = step->version;
        } catch (const MigrationError&) {
            throw;
        } catch (const std::exception& e) {
            throw MigrationError(describe(*step) + " failed: " + e.what());
        }
    }
    return version;
}

const char* trackTable(const Connection& db)
{
    return db.dialect() == Dialect::Sqlite ? "CREATE TABLE IF NOT EXISTS _migration_track "
                                             "(name TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID"
                                           : "CREATE TABLE IF NOT EXISTS _migration_track "
                                             "(name TEXT PRIMARY KEY, version BIGINT NOT NULL)";
}

} // namespace

int migrate(Connection& db, std::span<const Migration> migrations, int target)
{
    return climb(db, migrations, target, "schema", [&] { return db.userVersion(); },
                 [&](int v) { db.setUserVersion(v); });
}

int trackVersion(Connection& db, std::string_view track)
{
    if (!db.hasTable("_migration_track")) return 0;
    Statement st(db, "SELECT version FROM _migration_track WHERE name = ?");
    st.bind(1, track);
    return st.step() ? static_cast<int>(st.getInt(0)) : 0;
}

int migrate(Connection& db, std::span<const Migration> migrations, std::string_view track, int target)
{
    if (track.empty()) throw MigrationError("a migration track needs a name");
    const std::string name(track);
    return climb(
        db, migrations, target, "\"" + name + "\" schema", [&] { return trackVersion(db, name); },
        [&](int v) {
            // Inside the step's transaction: the table appears with the first step.
            db.exec(trackTable(db));
            Statement st(db, "INSERT INTO _migration_track (name, version) VALUES (?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET version = excluded.version");
            st.bind(1, name).bind(2, v);
            st.run();
        });
}

} // namespace fieldsync::storage
