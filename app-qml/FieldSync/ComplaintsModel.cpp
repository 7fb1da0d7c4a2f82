#include "ComplaintsModel.h"

#include "Session.h"
#include "Values.h"

#include <algorithm>
#include <iterator>

namespace fieldsync::app {

namespace {

QString channelLabel(const std::string& channel)
{
    if (channel == "phone") return ComplaintsModel::tr("Phone");
    if (channel == "visit") return ComplaintsModel::tr("During a visit");
    if (channel == "wechat") return ComplaintsModel::tr("WeChat");
    if (channel == "email") return ComplaintsModel::tr("E-mail");
    if (channel == "other") return ComplaintsModel::tr("Other");
    return qs(channel);
}

QString severityLabel(const std::string& severity)
{
    if (severity == "low") return ComplaintsModel::tr("Low");
    if (severity == "medium") return ComplaintsModel::tr("Medium");
    if (severity == "high") return ComplaintsModel::tr("High");
    return qs(severity);
}

QStringList nextStages(const domain::Complaint& c)
{
    QStringList out;
    if (!c.open()) return out;
    const auto* begin = std::begin(domain::kComplaintStages);
    const auto* end = std::end(domain::kComplaintStages);
    const auto* at = std::find_if(begin, end, [&](const char* s) { return c.status == s; });
    for (const auto* s = at == end ? begin : at + 1; s != end; ++s) out << QString::fromLatin1(*s);
    return out;
}

} // namespace

ComplaintsModel::ComplaintsModel(QObject* parent) : PagedListModel(parent) {}

void ComplaintsModel::setCustomerId(const QString& id)
{
    if (m_customerId == id) return;
    m_customerId = id;
    emit customerIdChanged();
    reload();
}

void ComplaintsModel::setOpenOnly(bool openOnly)
{
    if (m_openOnly == openOnly) return;
    m_openOnly = openOnly;
    emit openOnlyChanged();
    reload();
}

void ComplaintsModel::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

QString ComplaintsModel::stageLabel(const QString& stage)
{
    if (stage == QLatin1String("received")) return tr("Received");
    if (stage == QLatin1String("investigating")) return tr("Investigating");
    if (stage == QLatin1String("answered")) return tr("Answered");
    if (stage == QLatin1String("followed_up")) return tr("Followed up");
    return stage;
}

int ComplaintsModel::load()
{
    m_rows = domain::listComplaints(session()->replica(), m_openOnly);
    if (!m_customerId.isEmpty()) {
        const std::string id = m_customerId.toStdString();
        std::erase_if(m_rows, [&](const domain::Complaint& c) { return c.customer != id; });
    }
    return static_cast<int>(m_rows.size());
}

bool ComplaintsModel::finish(const Status& status)
{
    if (!status) {
        setError(describeError(status.error()));
        return false;
    }
    setError({});
    session()->localWriteDone();
    return true;
}

bool ComplaintsModel::moveTo(int row, const QString& stage, const QString& resolution, int satisfaction)
{
    if (!session() || !validRow(row)) return false;
    domain::ComplaintMove move;
    move.stage = stage.toStdString();
    if (!resolution.trimmed().isEmpty()) move.resolution = resolution.trimmed().toStdString();
    if (satisfaction > 0) move.satisfactionAfter = satisfaction;
    return finish(domain::moveComplaint(session()->replica(), m_rows[static_cast<size_t>(row)].id, move));
}

bool ComplaintsModel::add(const QString& customerId, const QString& channel, const QString& severity,
                          const QString& description)
{
    if (!session()) return false;
    // The domain accepts an empty description; a complaint nobody can read is
    // of no use to whoever handles it, so the form asks for one.
    if (description.trimmed().isEmpty()) {
        setError(tr("Describe the complaint"));
        return false;
    }
    domain::NewComplaint c;
    c.customer = customerId.toStdString();
    c.receivedAt = session()->replica().clock().physicalMillis();
    c.channel = channel.toStdString();
    c.severity = severity.toStdString();
    c.description = description.trimmed().toStdString();
    auto added = domain::addComplaint(session()->replica(), c);
    return finish(added ? Status(Ok{}) : Status(added.error()));
}

bool ComplaintsModel::reopen(int row)
{
    if (!session() || !validRow(row)) return false;
    // The domain would restart an open one too; the page offers reopening
    // only for closed ones, and a stray call says so rather than reset it.
    if (m_rows[static_cast<size_t>(row)].open()) {
        setError(tr("This complaint is still open"));
        return false;
    }
    return finish(domain::reopenComplaint(session()->replica(), m_rows[static_cast<size_t>(row)].id));
}

QVariant ComplaintsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::Complaint& c = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case DescriptionRole: return qs(c.description);
    case ComplaintIdRole: return qs(c.id);
    case CustomerIdRole: return qs(c.customer);
    case CustomerNameRole: return qs(c.customerName);
    case ChannelRole: return qs(c.channel);
    case ChannelLabelRole: return channelLabel(c.channel);
    case SeverityRole: return qs(c.severity);
    case SeverityLabelRole: return severityLabel(c.severity);
    case StageRole: return qs(c.status);
    case StageLabelRole: return stageLabel(qs(c.status));
    case NextStagesRole: return nextStages(c);
    case ReceivedAtRole: return dateTimeOf(c.receivedAt);
    case ResolutionRole: return qs(c.resolution);
    case HandlerRole: return qs(c.handler);
    case OpenRole: return c.open();
    case SatisfactionAfterRole: return c.satisfactionAfter.value_or(-1);
    default: return {};
    }
}

QHash<int, QByteArray> ComplaintsModel::roleNames() const
{
    return {{ComplaintIdRole, "complaintId"},
            {CustomerIdRole, "customerId"},
            {CustomerNameRole, "customerName"},
            {DescriptionRole, "description"},
            {ChannelRole, "channel"},
            {ChannelLabelRole, "channelLabel"},
            {SeverityRole, "severity"},
            {SeverityLabelRole, "severityLabel"},
            {StageRole, "stage"},
            {StageLabelRole, "stageLabel"},
            {NextStagesRole, "nextStages"},
            {ReceivedAtRole, "receivedAt"},
            {ResolutionRole, "resolution"},
            {HandlerRole, "handler"},
            {OpenRole, "open"},
            {SatisfactionAfterRole, "satisfactionAfter"}};
}

} // namespace fieldsync::app
