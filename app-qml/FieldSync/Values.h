// Values: the conversions every model over the domain makes, in one place.
// Missing values become what QML shows as empty (an empty string, an invalid
// QDateTime, a negative number for "unknown" in numeric roles), so delegates
// can declare plain required properties.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::app {

inline QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

inline QString qs(const std::optional<std::string>& text)
{
    return text ? QString::fromStdString(*text) : QString();
}

// Milliseconds since the epoch; invalid when unknown.
inline QDateTime dateTimeOf(std::optional<int64_t> ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms) : QDateTime();
}

// -1 for unknown (numbers a view shows are never negative here).
inline double numberOr(std::optional<double> value)
{
    return value ? *value : -1.0;
}

inline QStringList stringList(const std::vector<std::string>& items)
{
    QStringList out;
    for (const auto& s : items) out << QString::fromStdString(s);
    return out;
}

} // namespace fieldsync::app
