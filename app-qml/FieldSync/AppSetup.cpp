#include "AppSetup.h"

#include <QCoreApplication>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>

namespace fieldsync::app {

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("fieldsync"));
    QCoreApplication::setApplicationName(QStringLiteral("fieldsync"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

void configureApplication()
{
    QQuickStyle::setStyle(QStringLiteral("Material"));
    QFont font(QStringLiteral("Noto Sans CJK SC"));
    font.setPointSize(11);
    QGuiApplication::setFont(font);
}

void prepareEngine(QQmlApplicationEngine& engine)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
}

} // namespace fieldsync::app
