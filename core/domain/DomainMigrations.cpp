#include "domain/DomainMigrations.h"

#include "replica/Replica.h"
#include "storage/Database.h"

namespace fieldsync::domain {

namespace {

constexpr const char* kSearchV1 = R"sql(
CREATE TABLE search_dirty (customer TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE search_doc (
    docid       INTEGER PRIMARY KEY,
    customer    TEXT NOT NULL UNIQUE,
    sort_key    BLOB NOT NULL,
    last_visit  INTEGER,
    level       TEXT,
    level_rank  INTEGER NOT NULL,
    region      TEXT,
    lifecycle   TEXT,
    owner       TEXT,
    tags        TEXT,
    archived    INTEGER NOT NULL
);
CREATE INDEX search_doc_sort ON search_doc (sort_key, customer);
CREATE INDEX search_doc_live_sort ON search_doc (archived, sort_key, customer);
CREATE INDEX search_doc_level_sort ON search_doc (archived, level, sort_key, customer);
CREATE INDEX search_doc_last_visit ON search_doc (last_visit, sort_key, customer);
CREATE INDEX search_doc_level_rank ON search_doc (level_rank, sort_key, customer);
CREATE INDEX search_doc_owner ON search_doc (owner);
CREATE TABLE search_source (
    docid       INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    core_name   TEXT NOT NULL,
    core_pinyin TEXT NOT NULL
);
CREATE INDEX search_source_core_name ON search_source (core_name);
CREATE INDEX search_source_core_pinyin ON search_source (core_pinyin);
CREATE VIRTUAL TABLE search_text USING fts5 (name, other, tokenize = 'unicode61');
CREATE VIRTUAL TABLE search_keys USING fts5 (keys, tokenize = 'unicode61', detail = none, prefix = '1 2 3');
CREATE TABLE search_phone (
    phone    TEXT NOT NULL,
    customer TEXT NOT NULL,
    PRIMARY KEY (phone, customer)
) WITHOUT ROWID;
CREATE INDEX search_phone_customer ON search_phone (customer);
CREATE INDEX visit_customer_checkin ON visit (customer, checkin_at);

CREATE TRIGGER search_customer_insert AFTER INSERT ON customer BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (new.id);
END;
CREATE TRIGGER search_customer_update AFTER UPDATE OF name, phone, address, level, region, lifecycle, owner, tags,
    archived ON customer BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (new.id);
END;
CREATE TRIGGER search_customer_delete AFTER DELETE ON customer BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (old.id);
END;
CREATE TRIGGER search_contact_insert AFTER INSERT ON contact WHEN new.customer IS NOT NULL BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (new.customer);
END;
CREATE TRIGGER search_contact_update AFTER UPDATE OF customer, name, phone, archived ON contact BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) SELECT old.customer WHERE old.customer IS NOT NULL;
    INSERT OR IGNORE INTO search_dirty (customer) SELECT new.customer WHERE new.customer IS NOT NULL;
END;
CREATE TRIGGER search_contact_delete AFTER DELETE ON contact WHEN old.customer IS NOT NULL BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (old.customer);
END;
CREATE TRIGGER search_visit_insert AFTER INSERT ON visit WHEN new.customer IS NOT NULL BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (new.customer);
END;
CREATE TRIGGER search_visit_update AFTER UPDATE OF customer, checkin_at, voided ON visit BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) SELECT old.customer WHERE old.customer IS NOT NULL;
    INSERT OR IGNORE INTO search_dirty (customer) SELECT new.customer WHERE new.customer IS NOT NULL;
END;
CREATE TRIGGER search_visit_delete AFTER DELETE ON visit WHEN old.customer IS NOT NULL BEGIN
    INSERT OR IGNORE INTO search_dirty (customer) VALUES (old.customer);
END;

-- Customers already in the file are indexed by the first refresh.
INSERT INTO search_dirty (customer) SELECT id FROM customer;

CREATE TABLE pool_claim (
    hlc        INTEGER PRIMARY KEY,
    customer   TEXT NOT NULL,
    name       TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at INTEGER NOT NULL
);
CREATE INDEX pool_claim_customer ON pool_claim (customer);
)sql";

// The generation of the index and the key heads (SearchIndex.h "Facts",
// keyHeads). Every entry is rebuilt by the next refresh (an empty source
// never equals a customer's texts), which computes its key_heads.
constexpr const char* kSearchStateV2 = R"sql(
CREATE TABLE search_state (generation INTEGER NOT NULL);
INSERT INTO search_state (generation) VALUES (0);
ALTER TABLE search_doc ADD COLUMN key_heads INTEGER NOT NULL DEFAULT 0;
UPDATE search_source SET source = '';
INSERT OR IGNORE INTO search_dirty (customer) SELECT customer FROM search_doc;
)sql";

// Append only; released steps are frozen.
const storage::Migration kDomain[] = {
    {1, "customer search index, claims", kSearchV1},
    {2, "search generation, key heads", kSearchStateV2},
};

} // namespace

std::span<const storage::Migration> domainMigrations() { return kDomain; }

void ensureDomainSchema(replica::Replica& replica)
{
    auto& db = replica.database();
    if (storage::trackVersion(db, kDomainTrack) == static_cast<int>(std::size(kDomain))) return;
    storage::migrate(db, domainMigrations(), kDomainTrack);
}

} // namespace fieldsync::domain
