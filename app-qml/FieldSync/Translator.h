// Translator: the UI language. Follows the system locale (Chinese for any
// zh* locale, English otherwise) unless the user picked one in Settings; the
// choice is kept in the app's QSettings (a device preference: it survives
// sign-out, which wipes the replica). `--lang` overrides it for one run
// without saving. Switching retranslates the running QML at once.
#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;

namespace fieldsync::app {

class Translator : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("created by the application")
    // "" (follow the system), "zh" or "en"
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    // What is shown: "zh" or "en"
    Q_PROPERTY(QString effectiveLanguage READ effectiveLanguage NOTIFY languageChanged)

public:
    // `engine` may be null (no QML to retranslate).
    explicit Translator(QQmlEngine* engine, QObject* parent = nullptr);
    ~Translator() override;

    QString language() const { return m_language; }
    QString effectiveLanguage() const { return m_effective; }
    // Saves the choice.
    void setLanguage(const QString& language);
    // For this run only (--lang, screenshots).
    void overrideLanguage(const QString& language);

    // "zh" for a zh* locale name ("zh_CN", "zh-Hans-CN"), else "en".
    static QString languageForLocale(const QString& localeName);

signals:
    void languageChanged();

private:
    void apply(const QString& language);

    QQmlEngine* m_engine;
    QTranslator m_translator;
    bool m_installed = false;
    QString m_language, m_effective;
};

} // namespace fieldsync::app
