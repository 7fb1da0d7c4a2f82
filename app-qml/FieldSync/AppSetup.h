// What every host of the QML (the desktop shell, the tests, the screenshot
// tool) sets up the same way before creating its QML engine, so they render
// and behave alike.
#pragma once

class QQmlApplicationEngine;

namespace fieldsync::app {

// Before the QGuiApplication exists: application name/organization (they
// name the data directory and the settings file).
void setApplicationIdentity();
// After it exists: Material style, the CJK-capable font (Noto Sans CJK SC:
// without it Qt picks Japanese glyph variants for Chinese under the C locale).
void configureApplication();
// The import path a static QML module needs in Qt 6.4 (qrc:/), and the URL
// of the main file.
void prepareEngine(QQmlApplicationEngine& engine);
inline constexpr const char* kMainQml = "qrc:/FieldSync/qml/Main.qml";

} // namespace fieldsync::app
