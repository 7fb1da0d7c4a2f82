// DomainMigrations: the CRM domain's own tables in a device replica file,
// numbered in their own migration track ("domain", storage/Migrations.h), so
// they never collide with the replica's ladder (PRAGMA user_version).
//
// Nothing here is synced: every table is derived from the synced rows (and
// can be rebuilt from them) or is this device's own bookkeeping.
//
// Track "domain", version 1 (customer search, claims):
//
//   search_dirty(customer TEXT PK)
//     Customers whose index entry may be stale. Filled by triggers on
//     customer (insert, delete, update of a searched or filtered column:
//     name, phone, address, level, region, lifecycle, owner, tags,
//     archived), contact (insert, delete, update of customer/name/phone/
//     archived) and visit (insert, delete, update of customer/checkin_at/
//     voided) — pure SQL, so every write path (local capture, remote apply,
//     bundle import, reject, eviction) and every connection marks them.
//     SearchIndex::refresh() empties it.
//
//   search_doc(docid INTEGER PK, customer TEXT UNIQUE, sort_key BLOB,
//              last_visit INTEGER, level TEXT, level_rank INTEGER,
//              region TEXT, lifecycle TEXT, owner TEXT, tags TEXT,
//              archived INTEGER)
//     One narrow row per customer on this device: the list query reads only
//     this table (and the customer rows of the page it returns), so it stays
//     small enough to be cached. docid is the rowid of the customer's
//     search_text, search_keys and search_source entries. sort_key:
//     Pinyin::sortKey of the name. last_visit: latest check-in (ms) of its
//     non-voided visits, null: never. level .. archived: copies of the
//     customer's columns (level_rank 0-3 for A-D, 4 for none; archived 0/1)
//     for the filters and sorts, with indexes for each sort.
//
//   search_source(docid INTEGER PK, source TEXT, core_name TEXT,
//                 core_pinyin TEXT)
//     source: the indexed texts joined (the FTS entries are rebuilt only when
//     it changes). core_name / core_pinyin: the name without company forms
//     and punctuation, and its full pinyin (duplicates, indexed).
//
//   search_text: FTS5 (unicode61, detail full) with columns
//     name    the name, Chinese characters as single-character tokens
//     other   contact names and the address, tokenized the same way
//   search_keys: FTS5 (unicode61, detail none, prefix indexes 1-3), one
//     column `keys` of tokens only matched by prefix (no positions kept):
//       for the name and each contact name, every suffix of its full pinyin
//       and of its initials ("beijingzhaozhi…", "jingzhaozhi…", …,
//       "bjzzjy", "jzzjy", …), and every suffix of ≥ 3 digits of every phone
//       number (customer and contacts), so a prefix query finds any run of
//       digits.
//
//   search_phone(phone TEXT, customer TEXT, PK (phone, customer))
//     Normalized phone numbers (Duplicates.h normalizePhone) of each customer
//     and its contacts: exact-phone duplicate lookups.
//
//   pool_claim(hlc INTEGER PK, customer TEXT, name TEXT, claimed_by TEXT,
//              claimed_at INTEGER)
//     Every claim made on this device (Pool.h): the clock of the write that
//     set the owner (its outbox/rejected key), the customer's name when
//     claimed (so a lost claim still says which customer after eviction),
//     who claimed and when (ms). Kept when the customer leaves the device.
//
//   visit_customer_checkin: index on visit(customer, checkin_at) for the
//     last-visit lookups.
//
// Version 2:
//
//   search_state(generation INTEGER)
//     One row: how many refreshes have changed the index (SearchIndex::
//     refresh increments it in its transaction). A connection's in-memory
//     copy of search_doc's facts (SearchIndex.h) is valid while the
//     generation is the one it was read at.
//
//   search_doc.key_heads INTEGER
//     The first characters of the entry's search_keys tokens as a bit set
//     (a-z bits 0-25, 0-9 bits 26-35: SearchIndex::keyHeadsOf), for
//     one-character searches. Every entry is rebuilt once by the first
//     refresh after the upgrade.
#pragma once

#include "storage/Migrations.h"

#include <span>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

inline constexpr const char* kDomainTrack = "domain";

std::span<const storage::Migration> domainMigrations();

// Brings the replica file's domain track up to date (cheap when it is).
void ensureDomainSchema(replica::Replica& replica);

} // namespace fieldsync::domain
