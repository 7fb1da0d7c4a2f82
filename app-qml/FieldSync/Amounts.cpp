#include "Amounts.h"

#include <cmath>

namespace fieldsync::app {
namespace {

// A billion yuan: far above any order a rep logs, far below where a double
// stops holding cents exactly.
constexpr double kLargest = 1e9;

std::optional<double> number(const QString& text, const QLocale& locale)
{
    bool ok = false;
    const double v = locale.toDouble(text, &ok);
    if (!ok || !std::isfinite(v)) return std::nullopt;
    return v;
}

} // namespace

std::optional<double> parseAmount(const QString& input, const QLocale& locale)
{
    // Full-width digits, commas and dots become ASCII (NFKC).
    QString s = input.normalized(QString::NormalizationForm_KC).trimmed();
    for (const char* sign : {"RMB", "CNY", "¥"})
        if (s.startsWith(QString::fromUtf8(sign), Qt::CaseInsensitive)) s = s.mid(QString::fromUtf8(sign).size()).trimmed();
    if (s.endsWith(QStringLiteral("元"))) s.chop(1);
    double scale = 1;
    if (s.endsWith(QStringLiteral("万"))) scale = 10'000;
    else if (s.endsWith(QStringLiteral("千"))) scale = 1'000;
    if (scale != 1) s.chop(1);
    s = s.trimmed();
    if (s.isEmpty()) return std::nullopt;
    std::optional<double> v = number(s, locale);
    if (!v) v = number(s, QLocale(QLocale::English));
    if (!v) return std::nullopt;
    const double amount = *v * scale;
    if (amount < 0 || amount > kLargest) return std::nullopt;
    // 1.2万 is 12000, not 12000.000000000002.
    return std::round(amount * 100) / 100;
}

} // namespace fieldsync::app
