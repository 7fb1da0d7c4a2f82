#include "storage/Migrations.h"

#include "storage/Database.h"
#include "storage/Transaction.h"

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

} // namespace

int migrate(Database& db, std::span<const Migration> migrations, int target)
{
    validate(migrations);
    const int newest = static_cast<int>(migrations.size());
    if (target == -1)
        target = newest;
    if (target < 0 || target > newest)
        throw MigrationError("migration target " + std::to_string(target) + " is outside 0.."
                             + std::to_string(newest));

    int version = db.userVersion();
    if (version > newest)
        throw MigrationError("database file " + db.path() + " is at schema version " + std::to_string(version)
                             + ", newer than this build, which knows versions up to " + std::to_string(newest));

    for (; version < target; ++version) {
        const Migration& step = migrations[static_cast<size_t>(version)];
        try {
            // The version bump commits together with the step, so the file is
            // always exactly at some version, never between two.
            Transaction transaction(db);
            if (step.sql)
                db.exec(step.sql);
            if (step.apply)
                step.apply(db);
            db.setUserVersion(step.version);
            transaction.commit();
        } catch (const std::exception& e) {
            throw MigrationError(describe(step) + " failed: " + e.what());
        }
    }
    return version;
}

} // namespace fieldsync::storage
