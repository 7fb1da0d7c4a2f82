#include "replica/Hub.h"

#include "replica/Migrations.h"
#include "replica/Replica.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

namespace fieldsync::replica {

using nlohmann::json;
using schema::EntityDef;
using storage::Blob;
using storage::Statement;
using storage::Transaction;
using storage::UsingStatement;

namespace {

Blob deviceBlob(const crdt::DeviceId& d)
{
    return Blob{std::string_view(reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size())};
}

} // namespace

std::unique_ptr<Hub> Hub::open(const std::string& path, Options options)
{
    auto db = std::make_unique<storage::Database>(path);
    storage::migrate(*db, hubMigrations());
    return std::unique_ptr<Hub>(new Hub(std::move(db), std::move(options)));
}

Hub::Hub(std::unique_ptr<storage::Database> db, Options options)
    : m_db(std::move(db)), m_schema(schema::fieldsyncSchema()), m_rows(*m_db, m_schema), m_hlc(std::move(options.time))
{
    Transaction tx(*m_db);
    std::optional<crdt::DeviceId> device;
    {
        UsingStatement st(*m_db, "SELECT value FROM meta WHERE key = 'device_id'");
        if (st->step()) device = crdt::DeviceId::fromHex(st->getText(0));
    }
    if (!device) {
        device = newDeviceId();
        UsingStatement st(*m_db, "INSERT INTO meta (key, value) VALUES ('device_id', ?)");
        st->bind(1, device->hex());
        st->run();
        m_rows.peerOf(*device);
    }
    m_device = *device;
    UsingStatement st(*m_db, "SELECT value FROM meta WHERE key = 'hlc'");
    if (st->step()) m_hlc.observe(static_cast<crdt::Hlc>(st->getInt(0)));
    tx.commit();
}

Hub::~Hub() = default;

uint64_t Hub::head()
{
    UsingStatement st(*m_db, "SELECT coalesce(max(seq), 0) FROM hub_log");
    st->step();
    return static_cast<uint64_t>(st->getInt(0));
}

crdt::Hlc Hub::ackedFor(const crdt::DeviceId& device)
{
    UsingStatement st(*m_db, "SELECT acked FROM hub_device WHERE device = ?");
    st->bind(1, deviceBlob(device));
    return st->step() ? static_cast<crdt::Hlc>(st->getInt(0)) : 0;
}

Result<PushResult> Hub::push(const crdt::DeviceId& device, crdt::Hlc after,
                             std::span<const protocol::ChangeRecord> records)
{
    // Checks that need no state come first: a bad batch is refused whole.
    crdt::Hlc previous = 0;
    for (size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        std::string where = "change " + std::to_string(i) + " (" + m_schema.entity(r.entity).name + " " + r.id + ")";
        if (r.clock.device != device) return invalidArgument(where + " is stamped by another device");
        if (r.clock.hlc <= previous) return invalidArgument(where + " is out of order: clocks must increase");
        previous = r.clock.hlc;
        const auto& e = m_schema.entity(r.entity);
        for (const auto& w : r.writes)
            if (e.fields.at(static_cast<size_t>(w.field)).serverOnly)
                return invalidArgument(where + ": " + e.name + "." + e.fields[static_cast<size_t>(w.field)].name
                                       + " is written by the server only");
    }

    PushResult result;
    // A refused or failed push rolls back, taking back any peer it added.
    struct PeerGuard {
        RowStore& rows;
        bool committed = false;
        ~PeerGuard()
        {
            if (!committed) rows.reloadPeers();
        }
    } guard{m_rows};
    {
        Transaction tx(*m_db);
        crdt::Hlc acked = ackedFor(device);
        if (after > acked)
            return failedPrecondition("the server holds this device's changes up to " + std::to_string(acked)
                                      + " but the push follows " + std::to_string(after)
                                      + "; changes in between are missing");
        uint64_t seq = head();
        const auto& conflictEntity = *m_schema.entity(schema::kConflictEntity);
        for (const auto& r : records) {
            if (r.clock.hlc <= acked) {
                ++result.duplicates;
                continue;
            }
            // Devices may mark the hub's conflict entries resolved, never make them.
            if (r.entity == conflictEntity.code && !m_rows.exists(conflictEntity, r.id))
                return invalidArgument("change to conflict " + r.id
                                       + ": conflict entries are created by the server, not by devices");
            m_hlc.observe(r.clock.hlc);
            protocol::ChangeRecord accepted = r;
            accepted.seq = ++seq;
            std::vector<protocol::ChangeRecord> conflicts;
            merge(device, accepted, accepted.seq, conflicts);
            log(accepted.seq, device, accepted);
            for (auto& c : conflicts) {
                c.seq = ++seq;
                std::vector<protocol::ChangeRecord> none;
                merge(m_device, c, c.seq, none);
                log(c.seq, m_device, c);
                ++result.conflicts;
            }
            acked = r.clock.hlc;
            ++result.accepted;
        }
        if (result.accepted) {
            UsingStatement st(*m_db, "INSERT INTO hub_device (device, acked) VALUES (?, ?) "
                                     "ON CONFLICT (device) DO UPDATE SET acked = excluded.acked");
            st->bind(1, deviceBlob(device)).bind(2, static_cast<int64_t>(acked));
            st->run();
            UsingStatement meta(*m_db, "INSERT INTO meta (key, value) VALUES ('hlc', ?) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            meta->bind(1, static_cast<int64_t>(m_hlc.last()));
            meta->run();
        }
        tx.commit();
        guard.committed = true;
        result.acked = acked;
        result.head = seq;
    }
    return result;
}

void Hub::merge(const crdt::DeviceId& device, const protocol::ChangeRecord& r, uint64_t seq,
                std::vector<protocol::ChangeRecord>& conflicts)
{
    (void)device;
    const auto& e = m_schema.entity(r.entity);
    RowState row = m_rows.load(e, r.id);
    bool changed = !row.exists;
    for (const auto& w : r.writes) {
        const auto& f = e.fields.at(static_cast<size_t>(w.field));
        auto& fs = row.fields[static_cast<size_t>(w.field)];
        crdt::Register incoming = m_rows.registerFor(f, w, r.clock);
        crdt::HubField current{fs.reg, fs.arrival};
        auto d = crdt::decideAtHub(f.rule, fs.written ? &current : nullptr, incoming, r.seen);
        if (d.conflict) {
            const crdt::Register& loser = d.takeIncoming ? fs.reg : incoming;
            const crdt::Register& winner = d.takeIncoming ? incoming : fs.reg;
            const auto& ce = *m_schema.entity(schema::kConflictEntity);
            protocol::ChangeRecord c;
            c.entity = ce.code;
            c.id = conflictRowId(e.name, r.id, f.name, loser.clock);
            c.clock = {m_hlc.now(), m_device};
            auto put = [&](const char* name, crdt::Value v) { c.writes.push_back({ce.field(name)->index, std::move(v), 0}); };
            put("entity", e.name);
            put("row", r.id);
            put("field", f.name);
            put("rule", std::string(crdt::ruleName(f.rule)));
            put("loser_value", crdt::toJson(loser.value).dump());
            put("loser_clock", loser.clock.str());
            put("winner_value", crdt::toJson(winner.value).dump());
            put("winner_clock", winner.clock.str());
            put("detected_at", m_hlc.physicalMillis());
            put("resolved", false);
            conflicts.push_back(std::move(c));
        }
        if (d.takeIncoming) {
            m_rows.assign(row, w.field, incoming);
            fs.arrival = seq;
            changed = true;
        }
    }
    bool setsChanged = false;
    for (const auto& op : r.setOps) {
        if (op.remove) setsChanged |= m_rows.removeDots(e, r.id, op.field, op.element, op.dots);
        else setsChanged |= m_rows.addDot(e, r.id, op.field, op.element, r.clock);
    }
    if (setsChanged) m_rows.refreshSetCache(e, r.id, row);
    if (changed || setsChanged) m_rows.save(e, r.id, row);
}

void Hub::log(uint64_t seq, const crdt::DeviceId& device, const protocol::ChangeRecord& r)
{
    UsingStatement st(*m_db, "INSERT INTO hub_log (seq, device, device_seq, record, received_at) VALUES (?, ?, ?, ?, ?)");
    st->bind(1, static_cast<int64_t>(seq)).bind(2, deviceBlob(device)).bind(3, static_cast<int64_t>(r.clock.hlc))
        .bind(4, protocol::toJson(r, m_schema).dump()).bind(5, m_hlc.physicalMillis());
    st->run();
}

PullResult Hub::pull(uint64_t after, size_t limit)
{
    PullResult out;
    out.cursor = after;
    UsingStatement st(*m_db, "SELECT seq, record FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?");
    st->bind(1, static_cast<int64_t>(after)).bind(2, static_cast<int64_t>(limit + 1));
    while (st->step()) {
        if (out.records.size() == limit) {
            out.more = true;
            break;
        }
        auto r = protocol::recordFromJson(json::parse(st->getTextView(1)), m_schema);
        if (!r) throw std::runtime_error("corrupt hub log at seq " + std::to_string(st->getInt(0)) + ": " + r.error().message);
        out.cursor = r->seq;
        out.records.push_back(std::move(*r));
    }
    return out;
}

json Hub::dump()
{
    return m_rows.dump();
}

} // namespace fieldsync::replica
