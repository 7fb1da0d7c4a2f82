#include "Translator.h"

#include <QCoreApplication>
#include <QLocale>
#include <QQmlEngine>
#include <QSettings>

namespace fieldsync::app {

namespace {
const QString kSettingKey = QStringLiteral("ui/language");
}

Translator::Translator(QQmlEngine* engine, QObject* parent) : QObject(parent), m_engine(engine)
{
    QString saved = QSettings().value(kSettingKey).toString();
    if (saved != QLatin1String("zh") && saved != QLatin1String("en")) saved.clear();
    apply(saved);
}

Translator::~Translator()
{
    if (m_installed) QCoreApplication::removeTranslator(&m_translator);
}

QString Translator::languageForLocale(const QString& localeName)
{
    return localeName.startsWith(QLatin1String("zh")) ? QStringLiteral("zh") : QStringLiteral("en");
}

void Translator::setLanguage(const QString& language)
{
    const QString lang = language == QLatin1String("zh") || language == QLatin1String("en") ? language : QString();
    QSettings settings;
    if (lang.isEmpty()) settings.remove(kSettingKey);
    else settings.setValue(kSettingKey, lang);
    apply(lang);
}

void Translator::overrideLanguage(const QString& language)
{
    apply(language);
}

void Translator::apply(const QString& language)
{
    const QString effective = language.isEmpty() ? languageForLocale(QLocale::system().name()) : language;
    const bool changed = language != m_language || effective != m_effective;
    m_language = language;
    if (effective != m_effective || !m_installed) {
        if (m_installed) QCoreApplication::removeTranslator(&m_translator);
        m_installed = false;
        const QString file = effective == QLatin1String("zh") ? QStringLiteral(":/i18n/fieldsync_zh_CN.qm")
                                                              : QStringLiteral(":/i18n/fieldsync_en.qm");
        if (m_translator.load(file)) m_installed = QCoreApplication::installTranslator(&m_translator);
        m_effective = effective;
        QLocale::setDefault(QLocale(effective == QLatin1String("zh") ? QLocale::Chinese : QLocale::English,
                                    effective == QLatin1String("zh") ? QLocale::China : QLocale::UnitedStates));
        if (m_engine) m_engine->retranslate();
    }
    if (changed) emit languageChanged();
}

} // namespace fieldsync::app
