// One complaint of the customer: stage, severity, description and the
// satisfaction after; a closed one can be reopened.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

RowLayout {
    id: complaintRow

    signal reopenRequested(int index)

    required property int index
    required property string description
    required property string stageLabel
    required property string severityLabel
    required property bool open
    required property int satisfactionAfter
    Layout.fillWidth: true
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: [complaintRow.stageLabel, complaintRow.severityLabel, complaintRow.description,
               complaintRow.satisfactionAfter > 0 ? qsTr("Satisfaction after: %1/5").arg(complaintRow.satisfactionAfter) : ""]
              .filter(s => s.length > 0).join(" · ")
    }
    Button {
        objectName: "reopenComplaintButton"
        visible: !complaintRow.open
        text: qsTr("Reopen")
        flat: true
        onClicked: complaintRow.reopenRequested(complaintRow.index)
    }
}
