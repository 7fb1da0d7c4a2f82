// One visit on the customer's timeline: when, kind, stage, the far / no
// location / voided badges, outcome, notes, satisfaction, order and rep; a
// tap opens it, and a manager may void it.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ItemDelegate {
    id: visitRow

    // A manager may void a visit (the domain refuses a rep).
    property bool canVoid: false
    signal opened(string visitId)
    signal voidRequested(int index)

    required property int index
    required property string visitId
    required property string kindLabel
    Accessible.name: kindLabel + " " + statusLabel
    required property string statusLabel
    required property string status
    required property var when
    required property string notes
    required property string outcome
    required property int satisfaction
    required property double orderAmount
    required property double distance
    required property bool far
    required property bool noLocation
    required property bool voided
    required property string voidReason
    required property string rep
    width: ListView.view.width
    onClicked: visitRow.opened(visitRow.visitId)
    contentItem: ColumnLayout {
        spacing: 2
        RowLayout {
            spacing: 8
            Label {
                text: visitRow.when && !isNaN(visitRow.when) ? Qt.formatDateTime(visitRow.when, "yyyy-MM-dd HH:mm") : "—"
                color: Material.color(Material.Grey, Material.Shade700)
            }
            Label { text: visitRow.kindLabel; font.bold: true; font.strikeout: visitRow.voided }
            Label { text: visitRow.statusLabel; color: Material.color(Material.Grey, Material.Shade700) }
        }
        Flow {
            Layout.fillWidth: true
            spacing: 6
            Badge {
                visible: visitRow.far
                text: qsTr("Far from the customer (%1 m)").arg(Math.round(visitRow.distance))
                tone: Theme.warning
            }
            Badge {
                visible: visitRow.noLocation
                text: qsTr("No location")
                tone: Theme.neutral
            }
            Badge {
                visible: visitRow.voided
                // A plan called off before its check-in is "cancelled" (docs/domain.md).
                text: visitRow.status === "planned" ? (visitRow.voidReason.length > 0 ? qsTr("Cancelled: %1").arg(visitRow.voidReason) : qsTr("Cancelled"))
                                                    : qsTr("Voided: %1").arg(visitRow.voidReason)
                tone: Theme.danger
            }
            // Managers only (the domain refuses a rep): a visit is an audit record.
            Button {
                objectName: "voidVisitButton"
                visible: visitRow.canVoid && !visitRow.voided
                text: qsTr("Void")
                flat: true
                font.pixelSize: Theme.fontSmall
                onClicked: visitRow.voidRequested(visitRow.index)
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: text.length > 0
            text: [visitRow.outcome, visitRow.notes,
                   visitRow.satisfaction > 0 ? "★".repeat(visitRow.satisfaction) : "",
                   visitRow.orderAmount >= 0 ? qsTr("Order ¥%1").arg(Number(visitRow.orderAmount).toLocaleString(Qt.locale(), "f", 2)) : "",
                   visitRow.rep].filter(s => s.length > 0).join(" · ")
        }
    }
}
