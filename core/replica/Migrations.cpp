#include "replica/Migrations.h"

#include "storage/Connection.h"

namespace fieldsync::replica {
namespace {

// Entity tables, peer dictionary and set state: the RowStore (RowStore.h).
// Both a device and the hub hold merged state in this shape.
constexpr const char* kStateV1 = R"sql(
CREATE TABLE peer (
    idx    INTEGER PRIMARY KEY,
    device BLOB NOT NULL UNIQUE
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;
CREATE TABLE customer (
    id TEXT PRIMARY KEY,
    name TEXT, phone TEXT, address TEXT, lat REAL, lng REAL, region TEXT,
    industry TEXT, size TEXT, level TEXT, lifecycle TEXT, source TEXT,
    annual_sales REAL, owner TEXT, tags TEXT, notes TEXT, archived INTEGER,
    _clocks BLOB NOT NULL
);
CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    customer TEXT, name TEXT, title TEXT, phone TEXT, email TEXT, birthday TEXT,
    is_primary INTEGER, archived INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX contact_customer ON contact (customer);
CREATE TABLE visit (
    id TEXT PRIMARY KEY,
    customer TEXT, rep TEXT, kind TEXT, planned_at INTEGER,
    checkin_at INTEGER, checkin_lat REAL, checkin_lng REAL, checkin_accuracy REAL,
    checkout_at INTEGER, checkout_lat REAL, checkout_lng REAL, distance_m REAL,
    purpose TEXT, notes TEXT, outcome TEXT, satisfaction INTEGER, next_follow_up INTEGER,
    order_amount REAL, status TEXT, voided INTEGER, void_reason TEXT,
    status_gen INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX visit_customer ON visit (customer);
CREATE TABLE task (
    id TEXT PRIMARY KEY,
    customer TEXT, assignee TEXT, due INTEGER, title TEXT, status TEXT,
    origin_visit TEXT, notes TEXT, archived INTEGER,
    status_gen INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX task_customer ON task (customer);
CREATE TABLE complaint (
    id TEXT PRIMARY KEY,
    customer TEXT, received_at INTEGER, channel TEXT, description TEXT, severity TEXT,
    handler TEXT, status TEXT, resolution TEXT, satisfaction_after INTEGER, voided INTEGER,
    status_gen INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX complaint_customer ON complaint (customer);
CREATE TABLE conflict (
    id TEXT PRIMARY KEY,
    entity TEXT, "row" TEXT, field TEXT, rule TEXT, loser_value TEXT, loser_clock TEXT,
    winner_value TEXT, winner_clock TEXT, detected_at INTEGER, resolved INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX conflict_row ON conflict ("row");
CREATE TABLE set_dot (
    entity  INTEGER NOT NULL,
    "row"   TEXT NOT NULL,
    field   INTEGER NOT NULL,
    element TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    peer    INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    PRIMARY KEY (entity, "row", field, element, hlc, peer)
) WITHOUT ROWID;
)sql";

// Device-only tables (Replica.h has their spec).
constexpr const char* kDeviceV1 = R"sql(
CREATE TABLE outbox (
    hlc     INTEGER PRIMARY KEY,
    entity  INTEGER NOT NULL,
    "row"   TEXT NOT NULL,
    mask    INTEGER NOT NULL,
    seen    INTEGER NOT NULL,
    payload TEXT
);
CREATE TABLE rejected (
    hlc         INTEGER PRIMARY KEY,
    entity      INTEGER NOT NULL,
    "row"       TEXT NOT NULL,
    record      TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    rejected_at INTEGER NOT NULL
);
CREATE TABLE local_conflict (
    entity       INTEGER NOT NULL,
    "row"        TEXT NOT NULL,
    field        INTEGER NOT NULL,
    loser_clock  TEXT NOT NULL,
    loser_value  TEXT,
    winner_clock TEXT NOT NULL,
    winner_value TEXT,
    detected_at  INTEGER NOT NULL,
    local_hlc    INTEGER NOT NULL,
    PRIMARY KEY (entity, "row", field, loser_clock)
) WITHOUT ROWID;
)sql";

// Hub-only tables (Hub.h has their spec).
constexpr const char* kHubV1 = R"sql(
CREATE TABLE hub_log (
    seq         INTEGER PRIMARY KEY,
    device      BLOB NOT NULL,
    device_seq  INTEGER NOT NULL,
    user        TEXT NOT NULL,
    customer    TEXT NOT NULL,
    record      TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE owner_change (
    seq       INTEGER PRIMARY KEY,
    customer  TEXT NOT NULL,
    old_owner TEXT,
    new_owner TEXT,
    hlc       INTEGER NOT NULL
);
CREATE INDEX owner_change_customer ON owner_change (customer, hlc);
CREATE TABLE hub_device (
    device BLOB PRIMARY KEY,
    acked  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Schema 2: a team's configuration (schema/FieldsyncSchema.cpp team_config),
// on devices and hubs alike.
constexpr const char* kTeamConfig = R"sql(
CREATE TABLE team_config (
    id TEXT PRIMARY KEY,
    team TEXT, cadence_a INTEGER, cadence_b INTEGER, cadence_c INTEGER, cadence_d INTEGER, radius_m REAL,
    _clocks BLOB NOT NULL
);
)sql";

// Schema 3: the team of a customer's public pool, on devices and hubs alike.
constexpr const char* kCustomerTeam = "ALTER TABLE customer ADD COLUMN team TEXT;";

// Schema 4: check-in evidence (schema/FieldsyncSchema.cpp visit), on devices
// and hubs alike; the index serves a rep's previous check-in
// (evidence/Gather.h).
constexpr const char* kEvidence = R"sql(
ALTER TABLE visit ADD COLUMN checkin_device_at INTEGER;
ALTER TABLE visit ADD COLUMN checkin_mock INTEGER;
ALTER TABLE visit ADD COLUMN checkin_offline INTEGER;
ALTER TABLE visit ADD COLUMN verdict TEXT;
ALTER TABLE visit ADD COLUMN verdict_reasons TEXT;
ALTER TABLE visit ADD COLUMN checkin_received_at INTEGER;
ALTER TABLE team_config ADD COLUMN min_dwell_min INTEGER;
ALTER TABLE team_config ADD COLUMN max_speed_kmh INTEGER;
ALTER TABLE team_config ADD COLUMN max_offset_s INTEGER;
CREATE INDEX visit_rep_checkin ON visit (rep, checkin_at);
)sql";

// Schema 5: photos (docs/photos.md), on devices and hubs alike. A photo is
// found by its customer (eviction, the customer's page), its visit or
// complaint (their pages), and by its hash (who may fetch its bytes).
constexpr const char* kPhotos = R"sql(
CREATE TABLE photo (
    id TEXT PRIMARY KEY,
    customer TEXT, visit TEXT, complaint TEXT, sha256 TEXT, size INTEGER, media_type TEXT,
    width INTEGER, height INTEGER, captured_at INTEGER, caption TEXT, thumbnail TEXT,
    archived INTEGER, uploaded_at INTEGER,
    _clocks BLOB NOT NULL
);
CREATE INDEX photo_customer ON photo (customer);
CREATE INDEX photo_visit ON photo (visit);
CREATE INDEX photo_complaint ON photo (complaint);
CREATE INDEX photo_sha256 ON photo (sha256);
)sql";

const storage::Migration kReplica[] = {
    {1, "state and change log", nullptr,
     [](storage::Connection& db) {
         db.exec(kStateV1);
         db.exec(kDeviceV1);
     }},
    {2, "team configuration", kTeamConfig},
    {3, "customer team", kCustomerTeam},
    {4, "check-in evidence", kEvidence},
    // Why the server refused a change, as the one word it sends
    // (docs/api.md, push.rejected), so the app can say it in the user's
    // language instead of showing the server's English message.
    {5, "rejection reason", "ALTER TABLE rejected ADD COLUMN reason TEXT NOT NULL DEFAULT '';"},
    {6, "photos", kPhotos},
};

const storage::Migration kHub[] = {
    {1, "state and global log", nullptr,
     [](storage::Connection& db) {
         db.exec(kStateV1);
         db.exec(kHubV1);
     }},
    // A scoped pull reads (seq, customer) of every position it passes, and
    // the record only of those it returns: a covering index ~20x narrower
    // than the log's rows.
    {2, "pull scan index", "CREATE INDEX hub_log_scan ON hub_log (seq, customer);"},
    {3, "team configuration", kTeamConfig},
    {4, "customer team", kCustomerTeam},
    // The highest position served to each device, which bounds the `seen`
    // of its changes (Hub.h, hub_device).
    {5, "served position", "ALTER TABLE hub_device ADD COLUMN served INTEGER NOT NULL DEFAULT 0;"},
    {6, "check-in evidence", kEvidence},
    {7, "photos", kPhotos},
};

// The hub on PostgreSQL (core/storage-pg): the same tables, columns and
// numbering as kHub, in PostgreSQL's types — INTEGER -> BIGINT, REAL ->
// DOUBLE PRECISION, BLOB -> BYTEA, meta's untyped value -> TEXT. Text keys
// compare bytewise (COLLATE "C"), as SQLite's do, whatever the database's
// locale, so every listing and dump is ordered alike on both stores.
constexpr const char* kPgHubV1 = R"sql(
CREATE TABLE peer (
    idx    BIGINT PRIMARY KEY,
    device BYTEA NOT NULL UNIQUE
);
CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT
);
CREATE TABLE customer (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT, phone TEXT, address TEXT, lat DOUBLE PRECISION, lng DOUBLE PRECISION, region TEXT,
    industry TEXT, size TEXT, level TEXT, lifecycle TEXT, source TEXT,
    annual_sales DOUBLE PRECISION, owner TEXT, tags TEXT, notes TEXT, archived BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE TABLE contact (
    id TEXT COLLATE "C" PRIMARY KEY,
    customer TEXT COLLATE "C", name TEXT, title TEXT, phone TEXT, email TEXT, birthday TEXT,
    is_primary BIGINT, archived BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX contact_customer ON contact (customer);
CREATE TABLE visit (
    id TEXT COLLATE "C" PRIMARY KEY,
    customer TEXT COLLATE "C", rep TEXT, kind TEXT, planned_at BIGINT,
    checkin_at BIGINT, checkin_lat DOUBLE PRECISION, checkin_lng DOUBLE PRECISION,
    checkin_accuracy DOUBLE PRECISION, checkout_at BIGINT, checkout_lat DOUBLE PRECISION,
    checkout_lng DOUBLE PRECISION, distance_m DOUBLE PRECISION,
    purpose TEXT, notes TEXT, outcome TEXT, satisfaction BIGINT, next_follow_up BIGINT,
    order_amount DOUBLE PRECISION, status TEXT, voided BIGINT, void_reason TEXT,
    status_gen BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX visit_customer ON visit (customer);
CREATE TABLE task (
    id TEXT COLLATE "C" PRIMARY KEY,
    customer TEXT COLLATE "C", assignee TEXT, due BIGINT, title TEXT, status TEXT,
    origin_visit TEXT, notes TEXT, archived BIGINT,
    status_gen BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX task_customer ON task (customer);
CREATE TABLE complaint (
    id TEXT COLLATE "C" PRIMARY KEY,
    customer TEXT COLLATE "C", received_at BIGINT, channel TEXT, description TEXT, severity TEXT,
    handler TEXT, status TEXT, resolution TEXT, satisfaction_after BIGINT, voided BIGINT,
    status_gen BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX complaint_customer ON complaint (customer);
CREATE TABLE conflict (
    id TEXT COLLATE "C" PRIMARY KEY,
    entity TEXT, "row" TEXT COLLATE "C", field TEXT, rule TEXT, loser_value TEXT, loser_clock TEXT,
    winner_value TEXT, winner_clock TEXT, detected_at BIGINT, resolved BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX conflict_row ON conflict ("row");
CREATE TABLE set_dot (
    entity  BIGINT NOT NULL,
    "row"   TEXT COLLATE "C" NOT NULL,
    field   BIGINT NOT NULL,
    element TEXT COLLATE "C" NOT NULL,
    hlc     BIGINT NOT NULL,
    peer    BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    PRIMARY KEY (entity, "row", field, element, hlc, peer)
);
CREATE TABLE hub_log (
    seq         BIGINT PRIMARY KEY,
    device      BYTEA NOT NULL,
    device_seq  BIGINT NOT NULL,
    "user"      TEXT NOT NULL,
    customer    TEXT COLLATE "C" NOT NULL,
    record      TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE TABLE owner_change (
    seq       BIGINT PRIMARY KEY,
    customer  TEXT COLLATE "C" NOT NULL,
    old_owner TEXT,
    new_owner TEXT,
    hlc       BIGINT NOT NULL
);
CREATE INDEX owner_change_customer ON owner_change (customer, hlc);
CREATE TABLE hub_device (
    device BYTEA PRIMARY KEY,
    acked  BIGINT NOT NULL
);
)sql";

constexpr const char* kPgTeamConfig = R"sql(
CREATE TABLE team_config (
    id TEXT COLLATE "C" PRIMARY KEY,
    team TEXT, cadence_a BIGINT, cadence_b BIGINT, cadence_c BIGINT, cadence_d BIGINT, radius_m DOUBLE PRECISION,
    _clocks BYTEA NOT NULL
);
)sql";

constexpr const char* kPgEvidence = R"sql(
ALTER TABLE visit ADD COLUMN checkin_device_at BIGINT;
ALTER TABLE visit ADD COLUMN checkin_mock BIGINT;
ALTER TABLE visit ADD COLUMN checkin_offline BIGINT;
ALTER TABLE visit ADD COLUMN verdict TEXT;
ALTER TABLE visit ADD COLUMN verdict_reasons TEXT;
ALTER TABLE visit ADD COLUMN checkin_received_at BIGINT;
ALTER TABLE team_config ADD COLUMN min_dwell_min BIGINT;
ALTER TABLE team_config ADD COLUMN max_speed_kmh BIGINT;
ALTER TABLE team_config ADD COLUMN max_offset_s BIGINT;
CREATE INDEX visit_rep_checkin ON visit (rep, checkin_at);
)sql";

constexpr const char* kPgPhotos = R"sql(
CREATE TABLE photo (
    id TEXT COLLATE "C" PRIMARY KEY,
    customer TEXT COLLATE "C", visit TEXT COLLATE "C", complaint TEXT COLLATE "C", sha256 TEXT COLLATE "C",
    size BIGINT, media_type TEXT,
    width BIGINT, height BIGINT, captured_at BIGINT, caption TEXT, thumbnail TEXT,
    archived BIGINT, uploaded_at BIGINT,
    _clocks BYTEA NOT NULL
);
CREATE INDEX photo_customer ON photo (customer);
CREATE INDEX photo_visit ON photo (visit);
CREATE INDEX photo_complaint ON photo (complaint);
CREATE INDEX photo_sha256 ON photo (sha256);
)sql";

const storage::Migration kPgHub[] = {
    {1, "state and global log", kPgHubV1},
    {2, "pull scan index", "CREATE INDEX hub_log_scan ON hub_log (seq, customer);"},
    {3, "team configuration", kPgTeamConfig},
    {4, "customer team", kCustomerTeam},
    {5, "served position", "ALTER TABLE hub_device ADD COLUMN served BIGINT NOT NULL DEFAULT 0;"},
    {6, "check-in evidence", kPgEvidence},
    {7, "photos", kPgPhotos},
};

} // namespace

std::span<const storage::Migration> replicaMigrations() { return kReplica; }
std::span<const storage::Migration> hubMigrations() { return kHub; }
std::span<const storage::Migration> hubMigrations(storage::Dialect dialect)
{
    return dialect == storage::Dialect::Sqlite ? std::span<const storage::Migration>(kHub)
                                               : std::span<const storage::Migration>(kPgHub);
}

} // namespace fieldsync::replica
