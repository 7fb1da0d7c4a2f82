#include "AppSetup.h"

#include <QCoreApplication>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>

namespace fieldsync::app {

namespace {
constexpr double kMinimumPointSize = 11;
}

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("fieldsync"));
    QCoreApplication::setApplicationName(QStringLiteral("fieldsync"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

void configureApplication()
{
    QQuickStyle::setStyle(QStringLiteral("Material"));
    // The system's font size, as the user set it (larger text for those who
    // need it), never below 11 pt; the family that shows Chinese well.
    QFont font = QGuiApplication::font();
    font.setFamily(QStringLiteral("Noto Sans CJK SC"));
    if (font.pointSizeF() < kMinimumPointSize) font.setPointSizeF(kMinimumPointSize);
    QGuiApplication::setFont(font);
}

void prepareEngine(QQmlApplicationEngine& engine)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
}

} // namespace fieldsync::app
