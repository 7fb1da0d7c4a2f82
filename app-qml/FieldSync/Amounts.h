// Amounts as a rep types them: "12500", "12,500", "¥12,500", "12 500,5" in a
// locale that writes it so, "1.2万", "3千", full-width "１２，５００". Parsed
// with the user's locale first (its group and decimal separators), then
// with English conventions, after removing a currency sign (¥ ￥ RMB CNY) or
// a trailing 元; 万 multiplies by 10,000 and 千 by 1,000. Nothing for text
// that is not an amount, a negative one, or one too large to be real.
#pragma once

#include <QLocale>
#include <QString>

#include <optional>

namespace fieldsync::app {

std::optional<double> parseAmount(const QString& text, const QLocale& locale = QLocale());

} // namespace fieldsync::app
