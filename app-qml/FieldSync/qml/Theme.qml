// The app's colours, spacing and type sizes: the one place a colour is
// written down. Text on the badge colours (white) has a contrast of at least
// 4.5:1 (WCAG AA): danger 5.6, warning 5.5, ok 5.1, neutral 5.4, none 4.6.
pragma Singleton
import QtQuick

QtObject {
    // Badges and level markers: white text on these.
    readonly property color onBadge: "#FFFFFF"
    readonly property color danger: "#C62828"
    readonly property color warning: "#B34700"
    readonly property color ok: "#2E7D32"
    readonly property color neutral: "#546E7A"
    readonly property color none: "#757575"
    readonly property color accent: "#00796B"
    // Text on the page background, quieter than the body (6.2:1 on white).
    readonly property color muted: "#616161"
    // Panels behind a message: a warning, something neutral, good, bad.
    readonly property color warningPanel: "#FFF3E0"
    readonly property color neutralPanel: "#ECEFF1"
    readonly property color okPanel: "#E8F5E9"
    readonly property color dangerPanel: "#FFEBEE"
    // The status bar's dot, on its dark bar.
    readonly property color syncingDot: "#FFD54F"
    readonly property color onlineDot: "#69F0AE"
    readonly property color offlineDot: "#FF8A80"
    // Text on the coloured header and status bars.
    readonly property color onBar: "#FFFFFF"

    // A customer level's colour (A/B/C/D; anything else: none).
    function levelColor(level) {
        return level === "A" ? danger : level === "B" ? warning : level === "C" ? ok : level === "D" ? neutral : none
    }

    readonly property int spacingSmall: 4
    readonly property int spacing: 8
    readonly property int spacingLarge: 16
    // Type follows the application font, which is the system's size (never
    // below 11 pt, AppSetup.cpp): at 11 pt the sizes are 12, 15, 18, 20 and
    // 32 px; a user who asks the system for larger text gets all of them larger.
    readonly property real basePixels: Qt.application.font.pointSize > 0 ? Qt.application.font.pointSize * 4 / 3
                                                                        : Qt.application.font.pixelSize
    function scaled(px) { return Math.round(px * basePixels / (11 * 4 / 3)) }
    readonly property int fontSmall: scaled(12)
    readonly property int fontBody: scaled(14)
    readonly property int fontSection: scaled(15)
    readonly property int fontHeading: scaled(18)
    readonly property int fontTitle: scaled(20)
    readonly property int fontDisplay: scaled(32)
    // The least height of anything tapped on a phone.
    readonly property int touchTarget: 48
}
